using Fleet.Hub.Storage;
using Npgsql;

namespace Fleet.Hub.Tests.Postgres;

/// <summary>Schema creation and upgrade at start: idempotent, once per database, safe for nodes starting together.</summary>
public sealed class PostgresDatabaseTests(PostgresServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task InitializeAsync_EmptyDatabase_CreatesEveryTableAndRecordsEveryVersion()
    {
        var connectionString = await server.CreateDatabaseAsync(Ct);
        await using var database = new PostgresDatabase(connectionString);

        await database.InitializeAsync(Ct);

        await using var connection = await database.OpenAsync(Ct);
        Assert.Equal(
            ["agent_certificates", "audit_log", "grain_state", "membership", "membership_version", "reminders", "schema_version", "security_tokens"],
            await ListAsync(connection, "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1;"));
        Assert.Equal(
            PostgresSchema.Migrations.Select(m => m.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            await ListAsync(connection, "SELECT version::text FROM schema_version ORDER BY version;"));
        Assert.Equal("json", await ScalarAsync(connection, "SELECT data_type FROM information_schema.columns WHERE table_name = 'grain_state' AND column_name = 'data';"));
    }

    [Fact]
    public async Task InitializeAsync_RunAgainAndByANewInstance_AppliesNoMigrationTwiceAndKeepsRows()
    {
        var connectionString = await server.CreateDatabaseAsync(Ct);
        await using (var first = new PostgresDatabase(connectionString))
        {
            await first.InitializeAsync(Ct);
            await first.InitializeAsync(Ct);
            await using var connection = await first.OpenAsync(Ct);
            await ExecuteAsync(connection, "INSERT INTO grain_state VALUES ('t', 'k', 's', 1, '{}', now());");
        }

        await using var second = new PostgresDatabase(connectionString);
        await second.InitializeAsync(Ct);

        await using var check = await second.OpenAsync(Ct);
        Assert.Equal((long)PostgresSchema.Migrations.Count, await ScalarAsync(check, "SELECT COUNT(*) FROM schema_version;"));
        Assert.Equal(1L, await ScalarAsync(check, "SELECT COUNT(*) FROM grain_state;"));
    }

    [Fact]
    public async Task InitializeAsync_ManyNodesStartingAtOnceOnAnEmptyDatabase_AllSucceedAndMigrateOnce()
    {
        var connectionString = await server.CreateDatabaseAsync(Ct);
        var nodes = Enumerable.Range(0, 6).Select(_ => new PostgresDatabase(connectionString)).ToList();
        try
        {
            // Without the advisory lock, concurrent CREATE TABLE IF NOT EXISTS collide in the
            // catalog (duplicate key in pg_type) and versions would be recorded twice.
            await Task.WhenAll(nodes.Select(n => n.InitializeAsync(Ct)));

            await using var connection = await nodes[0].OpenAsync(Ct);
            Assert.Equal((long)PostgresSchema.Migrations.Count, await ScalarAsync(connection, "SELECT COUNT(*) FROM schema_version;"));
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task InitializeAsync_SchemaFromANewerHub_ThrowsNamingTheVersion()
    {
        var connectionString = await server.CreateDatabaseAsync(Ct);
        await using (var current = new PostgresDatabase(connectionString))
        {
            await using var connection = await current.OpenAsync(Ct);
            await ExecuteAsync(connection, "INSERT INTO schema_version VALUES (1000, now());");
        }

        await using var older = new PostgresDatabase(connectionString);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => older.InitializeAsync(Ct));

        Assert.Contains("schema version 1000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitializeAsync_UnreachableServer_FailsAndSaysSo()
    {
        // A port nobody listens on: the hub must stop at start rather than run without its state.
        var port = Fleet.Tests.Shared.LoopbackPorts.Take();
        await using var database = new PostgresDatabase($"Host=127.0.0.1;Port={port};Username=fleet;Database=fleet;Timeout=3");

        await Assert.ThrowsAnyAsync<NpgsqlException>(() => database.InitializeAsync(Ct));
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Ct);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    private static async Task<List<string>> ListAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var values = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
