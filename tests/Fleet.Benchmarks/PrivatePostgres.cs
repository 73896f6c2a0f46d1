using System.Diagnostics;
using Fleet.Tests.Shared;
using Npgsql;

namespace Fleet.Benchmarks;

/// <summary>
/// A private PostgreSQL server for one benchmark run (tests/Shared/PostgresInstance.cs, the hub tests' recipe), in a
/// directory of the run, stopped when the run ends; with durability left on: the figures are meant to include what an
/// acknowledged write costs, as SQLite's do.
/// </summary>
internal sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly PostgresInstance _server;

    private PrivatePostgres(PostgresInstance server) => _server = server;

    public int Port => _server.Port;

    /// <summary>Initialises and starts a server under <paramref name="parent"/> (a directory of its own in it).</summary>
    public static async Task<PrivatePostgres> StartAsync(string parent)
    {
        if (Environment.IsPrivilegedProcess)
        {
            // The run's directory is root's; the server's unprivileged user must be able to reach its data in it.
            await ChmodAsync(parent);
        }

        try
        {
            // Several nodes each keep a pool; the default of 100 connections would be the first limit.
            return new PrivatePostgres(await PostgresInstance.StartAsync(Path.Combine(parent, "postgres"), "-c max_connections=400"));
        }
        catch (PostgresUnavailableException unavailable)
        {
            throw new BenchmarkException($"--storage postgres needs a PostgreSQL server here: {unavailable.Message}");
        }
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

    private string ConnectionString(string applicationName)
    {
        var builder = _server.ConnectionString("postgres");
        builder.ApplicationName = applicationName;
        return builder.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _server.StopAsync("immediate");
    }

    private static async Task ChmodAsync(string directory)
    {
        using var process = Process.Start(new ProcessStartInfo("chmod", ["755", directory]) { UseShellExecute = false })
            ?? throw new BenchmarkException("could not start chmod");
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new BenchmarkException($"chmod 755 {directory} failed (exit {process.ExitCode})");
        }
    }
}
