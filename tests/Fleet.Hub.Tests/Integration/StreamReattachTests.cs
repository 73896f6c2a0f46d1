using Fleet.Hub.Tests.Security;
using Fleet.Protocol.Admin.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fleet.Hub.Tests.Integration;

/// <summary>
/// A target's grain that loses its agent's stream (deactivated, as when a node of the hub dies and takes
/// its directory entries along, or moved) gets the stream back without the agent reconnecting.
/// </summary>
public sealed class StreamReattachTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TargetGrainDeactivated_StreamReattaches_AndTheNextRevisionArrivesOnTheSameStream()
    {
        var logs = new LogCapture();
        await using var fleet = await FleetHarness.StartAsync(services => services.AddSingleton<ILoggerProvider>(logs));
        fleet.StartAgent("a1", "env=dev", "region=eu");
        await fleet.WaitForConnectedAsync(1);
        var first = await fleet.ApplyAsync(Capabilities.Greeter("1"));
        await Eventually.Holds(async () => (await fleet.RolloutAsync(first.RolloutId)).Phase == RolloutPhase.Succeeded, "revision 1 rolled out");

        // Every idle activation goes, the target's among them: its next activation knows no stream.
        await fleet.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, Ct);

        var second = await fleet.ApplyAsync(Capabilities.Greeter("2"));
        await Eventually.Holds(() => fleet.ReadTargetFile("a1", "etc/greeter/hello.txt") == "hello a1 in eu v2", "revision 2 reached a1", diagnostics: () => logs.All);
        await Eventually.Holds(async () => (await fleet.RolloutAsync(second.RolloutId)).Phase == RolloutPhase.Succeeded, "revision 2 rolled out");

        Assert.Contains(logs.Lines, l => l.Contains("The stream of a1 re-attached", StringComparison.Ordinal));
        Assert.Single(logs.Lines, l => l.Contains("Target a1 connected", StringComparison.Ordinal));
        Assert.True((await fleet.TargetAsync("a1")).Connected);
    }
}
