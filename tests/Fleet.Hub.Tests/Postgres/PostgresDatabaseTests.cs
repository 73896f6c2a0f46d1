using Fleet.Hub.Security;
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
            ["agent_certificates", "audit_log", "cluster_ca", "grain_state", "membership", "membership_version", "reminders", "schema_version", "security_tokens", "target_identities", "token_label_policies"],
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
    public async Task InitializeAsync_DatabaseWrittenBeforeClusterIds_KeepsEveryRowUnderTheDefaultCluster()
    {
        var connectionString = await server.CreateDatabaseAsync(Ct);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            // The schema as a hub of versions 1-3 left it, with a row in every table it had then.
            await connection.OpenAsync(Ct);
            await ExecuteAsync(connection, "CREATE TABLE schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL);");
            foreach (var migration in PostgresSchema.Migrations.Where(m => m.Version <= 3))
            {
                await ExecuteAsync(connection, migration.Sql);
                await ExecuteAsync(connection, $"INSERT INTO schema_version VALUES ({migration.Version}, now());");
            }

            await ExecuteAsync(connection, """
                INSERT INTO grain_state VALUES ('capability', 'greeter', 'state', 3, '{"name":"greeter"}', now());
                INSERT INTO reminders VALUES ('rollout/r1', 'tick', 7, now(), 60000, 1);
                INSERT INTO security_tokens VALUES ('0123456789abcdef', '\x00', 'admin', 'first admin', NULL, 1, NULL, NULL, NULL, 'hub');
                INSERT INTO agent_certificates VALUES ('5e51a1', 'web-1', 1, 9999999999999, 1, NULL);
                INSERT INTO audit_log (at, who, role, method, object, outcome, detail) VALUES (1, 'hub', 'admin', 'Apply', 'capability/greeter', 'ok', '');
                """);
        }

        await using (var upgraded = new PostgresDatabase(connectionString))
        {
            await upgraded.InitializeAsync(Ct);
            await using var connection = await upgraded.OpenAsync(Ct);
            foreach (var table in new[] { "grain_state", "reminders", "security_tokens", "agent_certificates", "audit_log" })
            {
                Assert.Equal(["fleet"], await ListAsync(connection, $"SELECT cluster_id FROM {table};"));
            }

            Assert.Equal((long)PostgresSchema.LatestVersion, Convert.ToInt64(await ScalarAsync(connection, "SELECT MAX(version) FROM schema_version;"), System.Globalization.CultureInfo.InvariantCulture));

            // And the hub of the default cluster reads them as before.
            var security = new PostgresSecurityStore(upgraded);
            Assert.NotNull(await security.FindToken("0123456789abcdef"));
            Assert.NotNull(await security.FindCertificate("5e51a1"));
            Assert.Single(await security.ListAudit(null, 10));
            Assert.NotNull(await new PostgresReminderTable(upgraded).ReadRow(GrainId.Parse("rollout/r1"), "tick", Ct));
        }

        // A hub of another cluster on the same database sees none of it.
        await using var other = new PostgresDatabase(connectionString, "other");
        var otherSecurity = new PostgresSecurityStore(other);
        Assert.Null(await otherSecurity.FindToken("0123456789abcdef"));
        Assert.Null(await otherSecurity.FindCertificate("5e51a1"));
        Assert.Empty(await otherSecurity.ListAudit(null, 10));
        Assert.Null(await new PostgresReminderTable(other).ReadRow(GrainId.Parse("rollout/r1"), "tick", Ct));
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
