using Fleet.Protocol.Admin.V1;
namespace Fleet.Hub.Tests.Integration;

/// <summary>An agent keeps its target converged while the hub is down, and the hub hears what happened meanwhile.</summary>
public sealed class OfflineAgentTests
{
    [Fact]
    public async Task AgentRestartedWhileHubIsDown_ConvergesFromItsCacheAndDeliversItsReportsAfterTheHubReturns()
    {
        await using var fleet = await FleetHarness.StartAsync();
        var first = fleet.StartAgent("a1", "env=dev", "region=eu");
        await fleet.WaitForConnectedAsync(1);
        await fleet.ApplyAsync(Capabilities.Greeter("1"));
        await Eventually.Holds(
            async () => (await fleet.TargetAsync("a1")).Capabilities.TryGetValue("greeter", out var greeter) && greeter is { Revision: 1, State: TargetCapabilityState.Ready },
            "a1 Ready at 1");

        await first.DisposeAsync();
        await fleet.StopHubAsync();
        var file = Path.Combine(fleet.TargetRoot("a1"), "etc/greeter/hello.txt");
        File.Delete(file);
        var restarted = fleet.StartAgent("a1", "env=dev", "region=eu");

        // No hub: the restarted agent finds the drift at start and corrects it from its cached desired set.
        await Eventually.Holds(() => fleet.ReadTargetFile("a1", "etc/greeter/hello.txt") == "hello a1 in eu v1", "file restored with the hub down");
        var outbox = Path.Combine(restarted.Options.StateDirectory, "outbox.pb");
        Assert.True(new FileInfo(outbox).Length > 0, "the drift and correction wait in the outbox");

        await fleet.StartHubAsync();
        await Eventually.Holds(() => new FileInfo(outbox).Length == 0, "the hub acknowledged every queued report");
        await Eventually.Holds(
            async () => (await fleet.TargetAsync("a1")).Capabilities.TryGetValue("greeter", out var greeter) && greeter is { Revision: 1, State: TargetCapabilityState.Ready },
            "a1 Ready after the reconnect");
    }
}
