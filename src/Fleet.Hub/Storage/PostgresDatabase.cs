using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Fleet.Hub.Storage;

/// <summary>
/// The hub's state in a PostgreSQL database (<c>--storage postgres --postgres CONN</c>): one pooled
/// Npgsql data source, and the schema created or upgraded at start.
/// </summary>
/// <remarks>
/// Several hubs may share the database under different cluster IDs (<c>--cluster-id</c>): every table
/// has a <c>cluster_id</c> column, first in its primary key, and every store on this database reads and
/// writes only the rows of <see cref="Scope"/>, so those hubs never see each other's state, tokens or audit.
/// </remarks>
/// <remarks>
/// <para>
/// Durability: a write's task completes only after its transaction committed, and PostgreSQL (with
/// its default <c>synchronous_commit=on</c>) has flushed the commit to its WAL by then; a hub killed
/// with SIGKILL therefore loses nothing it acknowledged. Unlike <see cref="SqliteDatabase"/> there is
/// no group-commit writer here: the server already flushes the WAL of concurrent commits together,
/// and many connections may write at once.
/// </para>
/// <para>
/// Migrations run in one transaction that first takes a transaction-level advisory lock, so hub
/// nodes starting together on one database upgrade it once, one after the other, and a failed
/// migration leaves nothing half done (PostgreSQL's DDL is transactional).
/// </para>
/// </remarks>
internal sealed partial class PostgresDatabase : IStorageDatabase, IAsyncDisposable, IDisposable
{
    // Any constant shared by every fleet-hub: "Fleet" in ASCII. Another application using advisory
    // locks on the same database would have to pick this very number to interfere.
    private const long MigrationLockKey = 0x466C656574;

    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlConnectionStringBuilder _settings;
    private readonly ILogger<PostgresDatabase> _logger;
    private readonly Lazy<Task> _initialization;
    private int _disposed;

    public PostgresDatabase(string connectionString, string clusterId = Hosting.HubOptions.DefaultClusterId)
        : this(connectionString, clusterId, NullLogger<PostgresDatabase>.Instance)
    {
    }

    public PostgresDatabase(string connectionString, string clusterId, ILogger<PostgresDatabase> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        Scope = ClusterScope.Of(clusterId);
        _settings = new NpgsqlConnectionStringBuilder(connectionString);
        _logger = logger;
        _dataSource = NpgsqlDataSource.Create(_settings);

        // Task.Run: initialisation may be triggered from inside a grain, whose scheduler should not
        // wait for the network or another node's migration.
        _initialization = new Lazy<Task>(() => Task.Run(InitializeCoreAsync), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The cluster whose rows this node reads and writes.</summary>
    public ClusterScope Scope { get; }

    /// <summary>The database name and host, for messages (never the password).</summary>
    public string Describe() => $"{_settings.Database} on {_settings.Host}:{_settings.Port}";

    /// <summary>
    /// Creates or upgrades the schema. Idempotent: every later call returns the same (completed or
    /// failed) initialisation.
    /// </summary>
    public Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _initialization.Value.WaitAsync(cancellationToken);
    }

    /// <summary>An open pooled connection, after the schema is ready; dispose it to return it.</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction and returns its result once that transaction
    /// committed. An exception thrown by <paramref name="work"/> rolls everything of it back.
    /// </summary>
    public async Task<T> InTransactionAsync<T>(
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var result = await work(connection, transaction, cancellationToken).ConfigureAwait(false);

        // Not cancellable: once the commit is sent, the caller must learn its outcome, or it could
        // not tell whether its change was stored.
        await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_initialization.IsValueCreated)
        {
            try
            {
                await _initialization.Value.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // A failed initialisation was reported to whoever awaited it; disposal only releases.
            }
        }

        // Closes the pooled connections, so the server's connection slots are freed with the hub.
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task InitializeCoreAsync()
    {
        await using var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLockKey});").ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, """
            CREATE TABLE IF NOT EXISTS schema_version (
                version    integer     PRIMARY KEY,
                applied_at timestamptz NOT NULL
            );
            """).ConfigureAwait(false);
        var current = (int)(await ExecuteAsync(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_version;").ConfigureAwait(false))!;
        if (current > PostgresSchema.LatestVersion)
        {
            // Running an older hub on a newer schema could silently drop what it does not know.
            throw new InvalidOperationException(
                $"PostgreSQL database {Describe()} has schema version {current}, newer than the {PostgresSchema.LatestVersion} this fleet-hub knows; use a newer fleet-hub.");
        }

        foreach (var migration in PostgresSchema.Migrations.Where(m => m.Version > current))
        {
            await ExecuteAsync(connection, transaction, migration.Sql).ConfigureAwait(false);
            await using var record = new NpgsqlCommand("INSERT INTO schema_version (version, applied_at) VALUES (@version, now());", connection, transaction);
            record.Parameters.AddWithValue("version", migration.Version);
            await record.ExecuteNonQueryAsync().ConfigureAwait(false);
            LogMigrated(_logger, _settings.Database, migration.Version);
        }

        await transaction.CommitAsync().ConfigureAwait(false);
        LogOpened(_logger, _settings.Database, _settings.Host, PostgresSchema.LatestVersion);
    }

    private static async Task<object?> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        return await command.ExecuteScalarAsync().ConfigureAwait(false);
    }
}
