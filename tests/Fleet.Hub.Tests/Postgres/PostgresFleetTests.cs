using Fleet.Hub.Storage;
using Fleet.Hub.Tests.Integration;
using Fleet.Protocol.Admin.V1;
using Npgsql;
using TestCapabilities = Fleet.Hub.Tests.Integration.Capabilities;

namespace Fleet.Hub.Tests.Postgres;

/// <summary>The whole hub on <c>--storage postgres</c>: delivery, and a restart on the same database that keeps everything.</summary>
public sealed class PostgresFleetTests(PostgresServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Restart_HubOnPostgres_KeepsRevisionsAndRolloutAndAgentsReconnect()
    {
        var database = await server.CreateDatabaseAsync(Ct);
        await using var fleet = await FleetHarness.StartAsync(postgres: database);
        fleet.StartAgent("a1", "env=dev", "region=eu");
        await fleet.WaitForConnectedAsync(1);
        await fleet.ApplyAsync(TestCapabilities.Greeter("1"));
        var second = await fleet.ApplyAsync(TestCapabilities.Greeter("2"));
        await Eventually.Holds(() => fleet.ReadTargetFile("a1", "etc/greeter/hello.txt") == "hello a1 in eu v2", "revision 2 reached a1");
        await Eventually.Holds(async () => (await fleet.RolloutAsync(second.RolloutId)).Phase == RolloutPhase.Succeeded, "rollout of revision 2 succeeded");

        await fleet.StopHubAsync();
        await fleet.StartHubAsync();

        var capability = await fleet.CapabilityAsync("greeter");
        Assert.Equal((2L, 2L), (capability.Revision, capability.StableRevision));
        var rollout = await fleet.RolloutAsync(second.RolloutId);
        Assert.Equal((RolloutPhase.Succeeded, 1), (rollout.Phase, rollout.Counts.Succeeded));
        await fleet.WaitForConnectedAsync(1);
        await fleet.ApplyAsync(TestCapabilities.Greeter("3"));
        await Eventually.Holds(() => fleet.ReadTargetFile("a1", "etc/greeter/hello.txt") == "hello a1 in eu v3", "revision 3 after the restart");

        // All of it lives in PostgreSQL: nothing was written to an embedded database.
        Assert.False(File.Exists(Path.Combine(fleet.Root, "hub", SqliteDatabase.FileName)));
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(Ct);
        await using var count = new NpgsqlCommand("SELECT COUNT(*) FROM grain_state;", connection);
        Assert.True((long)(await count.ExecuteScalarAsync(Ct))! > 0);
    }

    [Fact]
    public async Task Restart_MidRolloutOnPostgres_ResumesAndFinishesWhenTheWaitingTargetReturns()
    {
        var database = await server.CreateDatabaseAsync(Ct);
        await using var fleet = await FleetHarness.StartAsync(postgres: database);

        await RestartScenarios.MidRolloutResumesAndFinishesWhenTheWaitingTargetReturns(fleet);
    }
}
