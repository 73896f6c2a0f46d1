using System.Diagnostics;
using System.Globalization;
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
    private const string SuperUser = "fleet";
    private const string ServiceUser = "postgres";

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
        var bin = FindBinaries() ?? throw new PostgresUnavailableException(
            "no initdb/pg_ctl found (looked in $FLEET_PG_BIN, /usr/lib/postgresql/*/bin and PATH); install the postgresql package");
        string? runAs = null;
        if (Environment.IsPrivilegedProcess)
        {
            if (await RunAsync("id", ["-u", ServiceUser], check: false).ConfigureAwait(false) is not { ExitCode: 0 })
            {
                throw new PostgresUnavailableException($"running as root and there is no '{ServiceUser}' user to run initdb as");
            }

            runAs = ServiceUser;
        }

        var root = Path.Combine(Path.GetTempPath(), $"fleet-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        try
        {
            if (runAs is not null)
            {
                await RunAsync("chown", [runAs, root]).ConfigureAwait(false);
            }

            var data = Path.Combine(root, "data");
            await RunAsync(bin, "initdb", runAs, ["-D", data, "-U", SuperUser, "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync"]).ConfigureAwait(false);

            // A port that was free a moment ago may be taken before the server binds it: try a few.
            for (var attempt = 1; ; attempt++)
            {
                var started = new Started(bin, runAs, root, data, LoopbackPorts.Take());
                var (exitCode, output) = await started.StartServerAsync().ConfigureAwait(false);
                if (exitCode == 0)
                {
                    return started;
                }

                if (attempt == 3)
                {
                    throw new InvalidOperationException($"pg_ctl start failed (exit {exitCode}): {output}\n{await started.ServerLogAsync().ConfigureAwait(false)}");
                }
            }
        }
        catch
        {
            TryDelete(root);
            throw;
        }
    }

    private static string? FindBinaries()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("FLEET_PG_BIN") is { Length: > 0 } configured)
        {
            // An explicit choice is the only one: a run meant for one installation never uses another.
            candidates.Add(configured);
            return File.Exists(Path.Combine(configured, "initdb")) && File.Exists(Path.Combine(configured, "pg_ctl")) ? configured : null;
        }

        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var major) ? major : 0)
                .Select(d => Path.Combine(d, "bin")));
        }

        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries));
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    private static Task<(int ExitCode, string Output)> RunAsync(string bin, string program, string? runAs, IReadOnlyList<string> arguments, bool check = true) =>
        runAs is null
            ? RunAsync(Path.Combine(bin, program), arguments, check)
            : RunAsync("runuser", ["-u", runAs, "--", Path.Combine(bin, program), .. arguments], check);

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, IReadOnlyList<string> arguments, bool check = true)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // Inside the directory that the unprivileged user may enter, not the test's (root's) one.
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        var output = (await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false));
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed (exit {process.ExitCode}): {output}");
        }

        return (process.ExitCode, output);
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
    private sealed record Started(string Bin, string? RunAs, string Root, string Data, int Port)
    {
        public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = SuperUser,
            Database = database,
            // Tests run side by side; keep each one's pool well under the server's max_connections.
            MaxPoolSize = 20,
            IncludeErrorDetail = true,
        }.ConnectionString;

        public Task<(int ExitCode, string Output)> StartServerAsync() =>
            RunAsync(Bin, "pg_ctl", RunAs, [
                "-D", Data, "-l", Path.Combine(Root, "server.log"), "-w", "-t", "60", "-o",
                // fsync off: a test needs the server to survive the hub's death, not a power cut,
                // and it makes database creation and commits fast. Sockets stay in the private
                // directory; the tests use TCP on loopback.
                $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={Root} " +
                "-c fsync=off -c full_page_writes=off -c max_connections=400",
                "start"], check: false);

        /// <summary>"fast": what an outage looks like to clients, every connection cut at once.</summary>
        public Task<(int ExitCode, string Output)> StopServerAsync() =>
            RunAsync(Bin, "pg_ctl", RunAs, ["-D", Data, "-m", "fast", "-w", "-t", "60", "stop"], check: false);

        public async Task<string> ServerLogAsync()
        {
            var log = Path.Combine(Root, "server.log");
            return File.Exists(log) ? await File.ReadAllTextAsync(log).ConfigureAwait(false) : "";
        }

        public async Task StopAsync()
        {
            await StopServerAsync().ConfigureAwait(false);
            TryDelete(Root);
        }
    }
}
