using Fleet.Tests.Shared;
using Npgsql;

[assembly: AssemblyFixture(typeof(Fleet.Hub.Tests.Postgres.PostgresServer))]

namespace Fleet.Hub.Tests.Postgres;

/// <summary>
/// A private PostgreSQL server for this test run: <c>initdb</c> into a temporary directory, started
/// with <c>pg_ctl</c> on a free loopback port, stopped and deleted when the test assembly is done.
/// Each test gets a database of its own (<see cref="CreateDatabaseAsync"/>), so tests run in
/// parallel without seeing each other's rows, at the cost of one server start per run.
/// </summary>
/// <remarks>
/// The server starts on the first request, so a run of only SQLite tests never pays for it. Without
/// the server binaries a test is skipped with the reason, except under <c>CI=true</c>, where it fails:
/// CI must not pass by skipping. <c>initdb</c> refuses to run as root, so as root the server runs as
/// the unprivileged <c>postgres</c> user, in a directory that user owns.
/// </remarks>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly Lazy<Task<Started>> _start;
    private readonly SemaphoreSlim _createGate = new(1, 1);
    private int _databases;

    public PostgresServer() =>
        _start = new Lazy<Task<Started>>(() => Task.Run(StartAsync), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// A new, empty database on the server and the Npgsql connection string of it. Skips the calling
    /// test (or fails it under CI=true) when no server can be started here.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var started = await RequireAsync().ConfigureAwait(false);
        var name = $"test_{Interlocked.Increment(ref _databases)}";

        // Serialised: CREATE DATABASE copies template1, and concurrent copies may trip over each other.
        await _createGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = new NpgsqlConnection(started.ConnectionString("postgres"));
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name};", connection);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _createGate.Release();
        }

        return started.ConnectionString(name);
    }

    /// <summary>
    /// Stops the server as an outage would (<c>pg_ctl stop -m fast</c>: every connection is cut), keeping its data;
    /// <see cref="StartAgainAsync"/> brings it back on the same port. For a server of a test's own, never the
    /// shared one of the assembly.
    /// </summary>
    public async Task StopAsync()
    {
        var started = await RequireAsync().ConfigureAwait(false);
        var (exitCode, output) = await started.StopServerAsync().ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctl stop failed (exit {exitCode}): {output}");
        }
    }

    /// <summary>Starts the server stopped by <see cref="StopAsync"/> again, with its data, on the same port.</summary>
    public async Task StartAgainAsync()
    {
        var started = await RequireAsync().ConfigureAwait(false);
        var (exitCode, output) = await started.StartServerAsync().ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctl start failed (exit {exitCode}): {output}\n{await started.ServerLogAsync().ConfigureAwait(false)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_start.IsValueCreated)
        {
            return;
        }

        Started started;
        try
        {
            started = await _start.Value.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // It never started; StartAsync removed what it had made.
            return;
        }

        // Pooled connections of the tests would delay a "fast" shutdown; close them first.
        NpgsqlConnection.ClearAllPools();
        await started.StopAsync().ConfigureAwait(false);
        _createGate.Dispose();
    }

    private async Task<Started> RequireAsync()
    {
        try
        {
            return await _start.Value.ConfigureAwait(false);
        }
        catch (PostgresUnavailableException unavailable)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"CI=true and PostgreSQL is unavailable: {unavailable.Message}", unavailable);
            }

            Assert.Skip($"PostgreSQL is unavailable here: {unavailable.Message}");
            throw;
        }
    }

    private static async Task<Started> StartAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), $"fleet-pg-{Guid.NewGuid():N}");
        try
        {
            // fsync off: a test needs the server to survive the hub's death, not a power cut, and it makes database
            // creation and commits fast.
            return new Started(await PostgresInstance.StartAsync(root, "-c fsync=off -c full_page_writes=off -c max_connections=400").ConfigureAwait(false));
        }
        catch
        {
            TryDelete(root);
            throw;
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner rather than failing the run at its very end.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise.
        }
    }

    /// <summary>A running server of this test run.</summary>
    private sealed record Started(PostgresInstance Server)
    {
        public string ConnectionString(string database)
        {
            var builder = Server.ConnectionString(database);
            // Tests run side by side; keep each one's pool well under the server's max_connections.
            builder.MaxPoolSize = 20;
            builder.IncludeErrorDetail = true;
            return builder.ConnectionString;
        }

        public Task<(int ExitCode, string Output)> StartServerAsync() => Server.StartAgainAsync();

        /// <summary>"fast": what an outage looks like to clients, every connection cut at once.</summary>
        public Task<(int ExitCode, string Output)> StopServerAsync() => Server.StopAsync("fast");

        public Task<string> ServerLogAsync() => Server.ServerLogAsync();

        public async Task StopAsync()
        {
            await StopServerAsync().ConfigureAwait(false);
            TryDelete(Server.Root);
        }
    }
}
