using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Fleet.Benchmarks;

/// <summary>
/// A private PostgreSQL server for one benchmark run: <c>initdb</c> into a directory of the run, <c>pg_ctl</c> on a
/// free loopback port, stopped when the run ends. The same recipe as the hub tests' server
/// (tests/Fleet.Hub.Tests/Postgres/PostgresServer.cs: as root, the unprivileged <c>postgres</c> user runs it), without
/// the xunit parts (skip, one database per test) and with durability left on: the figures are meant to include what
/// an acknowledged write costs, as SQLite's do.
/// </summary>
internal sealed class PrivatePostgres : IAsyncDisposable
{
    private const string SuperUser = "fleet";
    private const string ServiceUser = "postgres";

    private readonly string _bin;
    private readonly string? _runAs;
    private readonly string _root;
    private readonly string _data;

    private PrivatePostgres(string bin, string? runAs, string root, int port)
    {
        _bin = bin;
        _runAs = runAs;
        _root = root;
        _data = Path.Combine(root, "data");
        Port = port;
    }

    public int Port { get; }

    /// <summary>Initialises and starts a server under <paramref name="parent"/> (a directory of its own in it).</summary>
    public static async Task<PrivatePostgres> StartAsync(string parent)
    {
        var bin = FindBinaries() ?? throw new BenchmarkException(
            "--storage postgres needs initdb and pg_ctl (looked in $FLEET_PG_BIN, /usr/lib/postgresql/*/bin and PATH); install the postgresql package");
        var runAs = Environment.IsPrivilegedProcess ? ServiceUser : null;
        var root = Path.Combine(parent, "postgres");
        Directory.CreateDirectory(root);
        if (runAs is not null)
        {
            // The benchmark's own directory is root's; the server's user must be able to reach its data.
            await RunAsync("chmod", ["755", parent]);
            await RunAsync("chown", [runAs, root]);
        }

        var server = new PrivatePostgres(bin, runAs, root, HubProcess.FreePort());
        await server.RunPgAsync("initdb", ["-D", server._data, "-U", SuperUser, "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync"]);
        await server.RunPgAsync("pg_ctl", [
            "-D", server._data, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "-o",
            // Several nodes each keep a pool; the default of 100 connections would be the first limit.
            $"-p {server.Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={root} -c max_connections=400",
            "start"]);
        return server;
    }

    /// <summary>The connection string of node <paramref name="node"/>: its application name tells its connections apart.</summary>
    public string ConnectionString(int node) => ConnectionString($"fleet-node-{node}");

    /// <summary>Open server connections per application name (a node's, see <see cref="ConnectionString"/>).</summary>
    public async Task<SortedDictionary<string, int>> ConnectionsAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString("fleet-benchmark"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT application_name, COUNT(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND application_name LIKE 'fleet-node-%' AND pid <> pg_backend_pid() GROUP BY application_name;",
            connection);
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = (int)reader.GetInt64(1);
        }

        return counts;
    }

    /// <summary>Grain state rows as <see cref="StorageStats"/> reads them from SQLite: same table, same etag rule.</summary>
    public StorageStats Stats()
    {
        using var connection = new NpgsqlConnection(ConnectionString("fleet-benchmark"));
        connection.Open();
        using var command = new NpgsqlCommand(
            "SELECT state_name, SUM(etag)::bigint, COUNT(*), SUM(octet_length(data::text))::bigint FROM grain_state GROUP BY state_name;", connection);
        try
        {
            using var reader = command.ExecuteReader();
            var kinds = new Dictionary<string, StorageStats.Kind>(StringComparer.Ordinal);
            while (reader.Read())
            {
                kinds[reader.GetString(0)] = new StorageStats.Kind(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
            }

            return new StorageStats(kinds);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // Before the first node created its schema.
            return new StorageStats(new Dictionary<string, StorageStats.Kind>());
        }
    }

    private string ConnectionString(string applicationName) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Database = "postgres",
        ApplicationName = applicationName,
    }.ConnectionString;

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await RunPgAsync("pg_ctl", ["-D", _data, "-m", "immediate", "-w", "-t", "60", "stop"], check: false);
    }

    private static string? FindBinaries()
    {
        if (Environment.GetEnvironmentVariable("FLEET_PG_BIN") is { Length: > 0 } configured)
        {
            return File.Exists(Path.Combine(configured, "initdb")) ? configured : null;
        }

        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var major) ? major : 0)
                .Select(d => Path.Combine(d, "bin"))
                .ToList()
            : [];
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries));
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    private Task RunPgAsync(string program, IReadOnlyList<string> arguments, bool check = true) =>
        _runAs is null
            ? RunAsync(Path.Combine(_bin, program), arguments, check)
            : RunAsync("runuser", ["-u", _runAs, "--", Path.Combine(_bin, program), .. arguments], check);

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, bool check = true)
    {
        // In a directory the server's user may enter, not the caller's.
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetTempPath() };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new BenchmarkException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (check && process.ExitCode != 0)
        {
            throw new BenchmarkException($"{program} {string.Join(' ', arguments)} failed (exit {process.ExitCode}): {await stdout}{await stderr}");
        }
    }
}
