using Fleet.Protocol.Admin.V1;

namespace Fleet.Hub.Tests.Integration;

/// <summary>A rollout whose placement <c>when</c> failed on every target says so and is Failed, not "Succeeded 0/0".</summary>
public sealed class PlacementWhenRolloutTests
{
    private static string WithWhen(string version, string when) => $$"""
        apiVersion: fleet/v1alpha1
        kind: Capability
        metadata:
          name: gated
        spec:
          version: "{{version}}"
          placement:
            when: "{{when}}"
          resources:
            - id: f
              file:
                path: etc/gated.txt
                content: "v{{version}}"
        """;

    [Fact]
    public async Task Rollout_WhenFailsOnEveryTarget_IsFailedNamingTheError_AndRemovesNothing()
    {
        await using var fleet = await FleetHarness.StartAsync();
        fleet.StartAgent("t1", "env=dev", "tier=x");
        fleet.StartAgent("t2", "env=dev", "tier=x");
        await fleet.WaitForConnectedAsync(2);
        var first = await fleet.ApplyAsync(WithWhen("1", "${target.labels.tier == 'x'}"));
        await Eventually.Holds(async () => (await fleet.RolloutAsync(first.RolloutId)).Phase == RolloutPhase.Succeeded, "revision 1 rolled out");

        // Revision 2 reads a label no target has: `when` fails on both.
        var second = await fleet.ApplyAsync(WithWhen("2", "${target.labels.zone == 'a'}"));
        await Eventually.Holds(async () => (await fleet.RolloutAsync(second.RolloutId)).Phase is RolloutPhase.Failed or RolloutPhase.Succeeded, "the rollout of revision 2 finished");
        var rollout = await fleet.RolloutAsync(second.RolloutId);

        Assert.Equal(RolloutPhase.Failed, rollout.Phase);
        Assert.StartsWith("no target placed: 2 target(s) left out because `when` failed: t1: when ${target.labels.zone == 'a'} failed: ", rollout.Message, StringComparison.Ordinal);
        Assert.Equal(0, rollout.Counts.Total);
        // An error is not a decision to take the capability away: revision 1 stays.
        Assert.Equal("v1", fleet.ReadTargetFile("t1", "etc/gated.txt"));
        Assert.Equal("v1", fleet.ReadTargetFile("t2", "etc/gated.txt"));
    }

    [Fact]
    public async Task Rollout_WhenFalseOnEveryTarget_StillSucceeds()
    {
        await using var fleet = await FleetHarness.StartAsync();
        fleet.StartAgent("t1", "env=dev", "tier=y");
        await fleet.WaitForConnectedAsync(1);

        var applied = await fleet.ApplyAsync(WithWhen("1", "${target.labels.tier == 'x'}"));
        await Eventually.Holds(async () => (await fleet.RolloutAsync(applied.RolloutId)).Phase is RolloutPhase.Failed or RolloutPhase.Succeeded, "the rollout finished");

        Assert.Equal((RolloutPhase.Succeeded, ""), ((await fleet.RolloutAsync(applied.RolloutId)).Phase, (await fleet.RolloutAsync(applied.RolloutId)).Message));
    }
}
