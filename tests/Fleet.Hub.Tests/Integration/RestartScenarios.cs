using Fleet.Protocol.Admin.V1;
namespace Fleet.Hub.Tests.Integration;

/// <summary>Restart scenarios that every storage backend must pass in the same way; each backend's tests run them on its own hub.</summary>
internal static class RestartScenarios
{
    /// <summary>
    /// A rollout that waits for an offline target survives a hub restart where it stood (one target done, one in
    /// progress) and finishes once the target returns.
    /// </summary>
    public static async Task MidRolloutResumesAndFinishesWhenTheWaitingTargetReturns(FleetHarness fleet)
    {
        fleet.StartAgent("a1", "env=dev", "region=eu");
        var a2 = fleet.StartAgent("a2", "env=dev", "region=us");
        await fleet.WaitForConnectedAsync(2);
        await a2.DisposeAsync();
        await fleet.WaitForConnectedAsync(1);

        // maxUnavailable 25% of 2 targets = 1: a1 first, then a2, which is offline and waited for.
        var applied = await fleet.ApplyAsync(Capabilities.Greeter("1"));
        await Eventually.Holds(async () => (await fleet.RolloutAsync(applied.RolloutId)).Counts is { Succeeded: 1, InProgress: 1 }, "a1 done, a2 in progress");
        await fleet.StopHubAsync();
        await fleet.StartHubAsync();
        var resumed = await fleet.RolloutAsync(applied.RolloutId);
        fleet.StartAgent("a2", "env=dev", "region=us");

        Assert.Equal((RolloutPhase.Running, 1, 1), (resumed.Phase, resumed.Counts.Succeeded, resumed.Counts.InProgress));
        await Eventually.Holds(() => fleet.ReadTargetFile("a2", "etc/greeter/hello.txt") == "hello a2 in us v1", "a2 got revision 1 after the restart");
        await Eventually.Holds(async () => (await fleet.RolloutAsync(applied.RolloutId)).Phase == RolloutPhase.Succeeded, "the rollout finished");
        var done = await fleet.RolloutAsync(applied.RolloutId);
        Assert.Equal((2, 0), (done.Counts.Succeeded, done.Counts.Failed));
    }
}
