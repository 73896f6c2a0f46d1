using Fleet.Hub.Storage;
using Fleet.Hub.Tests.Integration;
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
        await Eventually.Holds(async () => (await fleet.RolloutAsync(second.RolloutId)).Phase == "Succeeded", "rollout of revision 2 succeeded");

        await fleet.StopHubAsync();
        await fleet.StartHubAsync();

        var capability = await fleet.CapabilityAsync("greeter");
        Assert.Equal((2L, 2L), (capability.Revision, capability.StableRevision));
        var rollout = await fleet.RolloutAsync(second.RolloutId);
        Assert.Equal(("Succeeded", 1), (rollout.Phase, rollout.Counts.Succeeded));
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
        fleet.StartAgent("a1", "env=dev", "region=eu");
        var a2 = fleet.StartAgent("a2", "env=dev", "region=us");
        await fleet.WaitForConnectedAsync(2);
        await a2.DisposeAsync();
        await fleet.WaitForConnectedAsync(1);

        // maxUnavailable 25% of 2 targets = 1: a1 first, then a2, which is offline and waited for.
        var applied = await fleet.ApplyAsync(TestCapabilities.Greeter("1"));
        await Eventually.Holds(async () => (await fleet.RolloutAsync(applied.RolloutId)).Counts is { Succeeded: 1, InProgress: 1 }, "a1 done, a2 in progress");
        await fleet.StopHubAsync();
        await fleet.StartHubAsync();
        var resumed = await fleet.RolloutAsync(applied.RolloutId);
        fleet.StartAgent("a2", "env=dev", "region=us");

        Assert.Equal(("Running", 1, 1), (resumed.Phase, resumed.Counts.Succeeded, resumed.Counts.InProgress));
        await Eventually.Holds(() => fleet.ReadTargetFile("a2", "etc/greeter/hello.txt") == "hello a2 in us v1", "a2 got revision 1 after the restart");
        await Eventually.Holds(async () => (await fleet.RolloutAsync(applied.RolloutId)).Phase == "Succeeded", "the rollout finished");
    }
}
