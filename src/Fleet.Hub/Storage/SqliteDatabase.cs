using System.Globalization;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fleet.Hub.Storage;

/// <summary>
/// The hub's embedded database: one SQLite file, <c>fleet.db</c>, in the data directory.
/// </summary>
/// <remarks>
/// <para>
/// Durability: the file runs in WAL mode with <c>synchronous=FULL</c>, so every commit is fsynced
/// before it returns; a hub killed with SIGKILL, or a machine losing power, keeps every write
/// that was acknowledged. <c>NORMAL</c> would be ~6x faster here but survives only a killed
/// process, not a power cut.
/// </para>
/// <para>
/// Writes go through <see cref="WriteAsync{T}"/>, a group-commit writer: one loop owns the only
/// writing connection and runs every queued request of a batch in one transaction (one fsync),
/// then acknowledges them all. Under load that costs the same durability as one commit per
/// write at a fraction of the fsyncs; when idle a batch is a single request, so nothing waits
/// on a timer. Each request runs inside its own savepoint, so one that fails (an ETag
/// conflict, say) is rolled back and reported alone while the rest of its batch commits.
/// </para>
/// <para>Reads open pooled connections (<see cref="OpenAsync"/>); WAL lets them run beside the writer.</para>
/// </remarks>
internal sealed partial class SqliteDatabase : IStorageDatabase, IAsyncDisposable, IDisposable
{
    public const string FileName = "fleet.db";

    // Enough to amortise an fsync over many writes without holding the write lock for long.
    private const int MaxBatchSize = 256;

    // A reader or a second process waits this long for a lock before SQLITE_BUSY.
    private const int BusyTimeoutMilliseconds = 10_000;

    private readonly string _dataDirectory;
    private readonly string _connectionString;
    private readonly ILogger<SqliteDatabase> _logger;
    private readonly Lazy<Task> _initialization;
    private readonly Channel<SqliteWriteRequest> _writes =
        Channel.CreateUnbounded<SqliteWriteRequest>(new UnboundedChannelOptions { SingleReader = true });
    private Task? _writerLoop;
    private int _disposed;

    public SqliteDatabase(string dataDirectory)
        : this(dataDirectory, NullLogger<SqliteDatabase>.Instance)
    {
    }

    public SqliteDatabase(string dataDirectory, ILogger<SqliteDatabase> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        _dataDirectory = Path.GetFullPath(dataDirectory);
        FilePath = Path.Combine(_dataDirectory, FileName);
        _logger = logger;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        }.ToString();

        // Task.Run: initialisation may be triggered from inside a grain, whose scheduler must
        // neither run the blocking SQLite calls nor become the scheduler of the writer loop.
        _initialization = new Lazy<Task>(() => Task.Run(InitializeCore), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Full path of the database file.</summary>
    public string FilePath { get; }

    /// <summary>
    /// Creates the data directory and the file if missing, upgrades the schema and starts the
    /// writer. Idempotent: every later call returns the same (completed or failed) initialisation.
    /// </summary>
    public Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _initialization.Value.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Opens a connection for reading. Writes belong in <see cref="WriteAsync{T}"/>: a write on
    /// this connection would work, but would wait for the write lock and miss the group commit.
    /// </summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return OpenConnection();
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a write transaction and returns its result once that
    /// transaction is durably committed. An exception thrown by <paramref name="work"/> undoes
    /// only its own changes and is rethrown to the caller. The work runs on the writer loop, so
    /// it must only touch the database through the transaction it is given, and be quick.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteTransaction, T> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var request = new SqliteWriteRequest(transaction => work(transaction), cancellationToken);
        if (!_writes.Writer.TryWrite(request))
        {
            throw new ObjectDisposedException(nameof(SqliteDatabase));
        }

        return (T)(await request.Completion.ConfigureAwait(false))!;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Requests already queued are still written; only new ones are refused.
        _writes.Writer.TryComplete();
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

        if (_writerLoop is not null)
        {
            await _writerLoop.ConfigureAwait(false);
        }

        // Pooled connections keep the file (and its WAL) open; release them so that the data
        // directory can be reopened, moved or deleted once the hub is done with it.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private void InitializeCore()
    {
        // Owner-only: the database holds specs (with env values), the audit log and token hashes. The file is
        // created 0600 before SQLite opens it, and SQLite gives its -wal and -shm files the database's mode.
        OwnerOnlyFiles.CreateDirectory(_dataDirectory);
        OwnerOnlyFiles.CreateFile(FilePath);
        foreach (var sidecar in new[] { FilePath + "-wal", FilePath + "-shm", FilePath + "-journal" })
        {
            OwnerOnlyFiles.Restrict(sidecar);
        }

        using (var connection = OpenConnection())
        {
            // WAL is a property of the file, not of a connection; it must be set outside a transaction.
            var mode = (string?)Execute(connection, null, "PRAGMA journal_mode=WAL;");
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"SQLite refused WAL mode for {FilePath} (journal_mode={mode}).");
            }

            Migrate(connection);
        }

        LogOpened(_logger, FilePath, SqliteSchema.LatestVersion);
        _writerLoop = Task.Run(RunWriterAsync);
    }

    private void Migrate(SqliteConnection connection)
    {
        // IMMEDIATE: two processes starting on one data directory must not both migrate.
        using var transaction = connection.BeginTransaction(deferred: false);
        Execute(connection, transaction, """
            CREATE TABLE IF NOT EXISTS schema_version (
                version    INTEGER PRIMARY KEY,
                applied_at TEXT NOT NULL
            );
            """);
        var current = Convert.ToInt32(
            Execute(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_version;"),
            CultureInfo.InvariantCulture);
        if (current > SqliteSchema.LatestVersion)
        {
            // Running an older hub on a newer schema could silently drop what it does not know.
            throw new InvalidOperationException(
                $"{FilePath} has schema version {current}, newer than the {SqliteSchema.LatestVersion} this fleet-hub knows; use a newer fleet-hub.");
        }

        foreach (var migration in SqliteSchema.Migrations.Where(m => m.Version > current))
        {
            Execute(connection, transaction, migration.Sql);
            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_version (version, applied_at) VALUES ($version, $appliedAt);";
            record.Parameters.AddWithValue("$version", migration.Version);
            record.Parameters.AddWithValue("$appliedAt", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            record.ExecuteNonQuery();
            LogMigrated(_logger, FilePath, migration.Version);
        }

        transaction.Commit();
    }

    private SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();

            // Per-connection settings (a pooled connection keeps them, setting them again is free).
            Execute(connection, null, $"""
                PRAGMA synchronous=FULL;
                PRAGMA busy_timeout={BusyTimeoutMilliseconds};
                PRAGMA foreign_keys=ON;
                """);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static object? Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private async Task RunWriterAsync()
    {
        var batch = new List<SqliteWriteRequest>(MaxBatchSize);
        SqliteConnection? connection = null;
        try
        {
            while (await _writes.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (batch.Count < MaxBatchSize && _writes.Reader.TryRead(out var request))
                {
                    if (!request.TryWithdrawIfCancelled())
                    {
                        batch.Add(request);
                    }
                }

                if (batch.Count == 0)
                {
                    continue;
                }

                try
                {
                    connection ??= OpenConnection();
                    Commit(connection, batch);
                    foreach (var request in batch)
                    {
                        request.Acknowledge();
                    }
                }
                catch (Exception exception)
                {
                    // Nothing of this batch is known to be on disk: fail every request of it, and
                    // start the next batch on a fresh connection in case this one is broken.
                    LogBatchFailed(_logger, exception, FilePath, batch.Count);
                    foreach (var request in batch)
                    {
                        request.Fail(exception);
                    }

                    connection?.Dispose();
                    connection = null;
                }

                batch.Clear();
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private static void Commit(SqliteConnection connection, List<SqliteWriteRequest> batch)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        foreach (var request in batch)
        {
            transaction.Save("request");
            if (request.Execute(transaction))
            {
                transaction.Release("request");
            }
            else
            {
                transaction.Rollback("request");
                transaction.Release("request");
            }
        }

        transaction.Commit();
    }
}
