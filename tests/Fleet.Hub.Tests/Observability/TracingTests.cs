using System.Collections.Concurrent;
using System.Diagnostics;
using Fleet.Hub.Tests.Integration;
using Fleet.Protocol.Admin.V1;

namespace Fleet.Hub.Tests.Observability;

/// <summary>The hub's own spans: an apply names what it applied and what it started, a rollout step how many targets it handed the revision.</summary>
public sealed class TracingTests
{
    [Fact]
    public async Task Apply_AndTheRolloutItStarts_AreSpansOfTheFleetHubSource()
    {
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Fleet.Hub",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        await using var fleet = await FleetHarness.StartAsync();
        fleet.StartAgent("a1", "env=dev", "region=eu");
        await fleet.WaitForConnectedAsync(1);

        // A name no other test uses: the listener hears every hub in this test process.
        var applied = await fleet.ApplyAsync(Integration.Capabilities.Greeter("1").Replace("name: greeter", "name: tracing-probe"));
        await Eventually.Holds(async () => (await fleet.RolloutAsync(applied.RolloutId)).Phase == RolloutPhase.Succeeded, "the rollout succeeded");

        var apply = Assert.Single(spans, s => s.OperationName == "fleet.apply" && (string?)s.GetTagItem("fleet.name") == "tracing-probe");
        Assert.Equal(("Capability", "created", applied.RolloutId), ((string?)apply.GetTagItem("fleet.kind"), (string?)apply.GetTagItem("fleet.outcome"), (string?)apply.GetTagItem("fleet.rollout")));
        Assert.Contains(spans, s => s.OperationName == "fleet.rollout.batch" && (string?)s.GetTagItem("fleet.rollout") == applied.RolloutId && (int?)s.GetTagItem("fleet.targets") == 1);
    }
}
