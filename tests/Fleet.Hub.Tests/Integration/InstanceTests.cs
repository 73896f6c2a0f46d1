using Fleet.Protocol.Admin.V1;
using Grpc.Core;

namespace Fleet.Hub.Tests.Integration;

/// <summary>
/// Instances end to end: each is delivered under "capability/instance" with its own inputs, through
/// rollouts with the capability's rules; updates, capability revisions and deletes reach the targets.
/// </summary>
public sealed class InstanceTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Instances_AreDeliveredPerInstanceWithDefaultsApplied_AndTheCapabilityAloneDeliversNothing()
    {
        await using var fleet = await FleetHarness.StartAsync();
        fleet.StartAgent("a1", "env=dev");
        fleet.StartAgent("p1", "env=prod");
        await fleet.WaitForConnectedAsync(2);

        var capability = await fleet.ApplyAsync(InstanceDocuments.Database());
        var teamA = await fleet.ApplyAsync(InstanceDocuments.Instance("team-a", "{ team: a }"));
        var teamB = await fleet.ApplyAsync(InstanceDocuments.Instance("team-b", "{ team: b, size: 20, tier: premium }"));

        Assert.Equal(("capability", "created", ""), (capability.Kind, capability.Outcome, capability.RolloutId));
        Assert.Equal(("instance", "created", 1L), (teamA.Kind, teamA.Outcome, teamA.Revision));
        Assert.Equal("database.team-a-1", teamA.RolloutId);
        await Eventually.Holds(() => fleet.ReadTargetFile("a1", "db/team-a.conf") == "team=a size=10 tier=standard on a1 v1", "team-a with defaults");
        await Eventually.Holds(() => fleet.ReadTargetFile("a1", "db/team-b.conf") == "team=b size=20 tier=premium on a1 v1", "team-b as given");
        await Eventually.Holds(async () => (await fleet.TargetAsync("a1")).Capabilities.TryGetValue("database/team-a", out var c) && c is { Revision: 1, State: TargetCapabilityState.Ready }, "a1 reports database/team-a Ready");
        Assert.Null(fleet.ReadTargetFile("p1", "db/team-a.conf"));
        Assert.DoesNotContain("database", (await fleet.TargetAsync("a1")).Capabilities.Keys);
        var instances = (await fleet.Admin.ListInstancesAsync(new ListRequest(), cancellationToken: Cancel)).Items;
        Assert.Equal(["team-a", "team-b"], instances.Select(i => i.Name));
        Assert.Equal("""{"size":10,"team":"a","tier":"standard"}""", instances[0].InputsJson);
        await Eventually.Holds(async () => (await fleet.RolloutAsync(teamB.RolloutId)).Phase == RolloutPhase.Succeeded, "team-b rollout succeeded");
        var rollout = await fleet.RolloutAsync(teamB.RolloutId);
        Assert.Equal(("database", "team-b"), (rollout.Capability, rollout.Instance));
    }

    [Fact]
    public async Task InstanceUpdate_AndCapabilityRevision_ReachTheTargets_AndDeleteRemovesOnlyThatInstance()
    {
        await using var fleet = await FleetHarness.StartAsync();
        fleet.StartAgent("a1", "env=dev");
        await fleet.WaitForConnectedAsync(1);
        await fleet.ApplyAsync(InstanceDocuments.Database());
        await fleet.ApplyAsync(InstanceDocuments.Instance("team-a", "{ team: a }"));
        await fleet.ApplyAsync(InstanceDocuments.Instance("team-b", "{ team: b }"));
        await Eventually.Holds(() => fleet.ReadTargetFile("a1", "db/team-b.conf") is not null, "both delivered");

        var updated = await fleet.ApplyAsync(InstanceDocuments.Instance("team-a", "{ team: a, size: 50 }"));
        await Eventually.Holds(() => fleet.ReadTargetFile("a1", "db/team-a.conf") == "team=a size=50 tier=standard on a1 v1", "update delivered");
        // Instance revision 2 renders capability revision 1: the target reports the instance's revision and the rollout ends.
        await Eventually.Holds(async () => (await fleet.RolloutAsync(updated.RolloutId)).Phase == RolloutPhase.Succeeded, "the update's rollout succeeded");
        Assert.Equal((2L, TargetCapabilityState.Ready), ((await fleet.TargetAsync("a1")).Capabilities["database/team-a"].Revision, (await fleet.TargetAsync("a1")).Capabilities["database/team-a"].State));
        var unchanged = await fleet.ApplyAsync(InstanceDocuments.Instance("team-a", "{ team: a, size: 50 }"));
        await fleet.ApplyAsync(InstanceDocuments.Database("2"));
        await Eventually.Holds(() => fleet.ReadTargetFile("a1", "db/team-a.conf") == "team=a size=50 tier=standard on a1 v2", "capability revision 2 reaches team-a");
        await Eventually.Holds(async () => (await fleet.Admin.GetInstanceAsync(new GetRequest { Name = "team-a" }, cancellationToken: Cancel)).StableRevision == 3, "team-a's revision 3 (capability revision 2) became stable");
        await Eventually.Holds(() => fleet.ReadTargetFile("a1", "db/team-b.conf") == "team=b size=10 tier=standard on a1 v2", "and team-b");
        var deleted = await fleet.Admin.DeleteAsync(new DeleteRequest { Kind = "instance", Name = "team-a" }, cancellationToken: Cancel);
        await Eventually.Holds(() => fleet.ReadTargetFile("a1", "db/team-a.conf") is null, "team-a removed from the target");

        Assert.Equal(("configured", 2L), (updated.Outcome, updated.Revision));
        Assert.Equal(("unchanged", 2L, ""), (unchanged.Outcome, unchanged.Revision, unchanged.RolloutId));
        Assert.True(deleted.Found);
        Assert.NotNull(fleet.ReadTargetFile("a1", "db/team-b.conf"));
        var teamB = await fleet.Admin.GetInstanceAsync(new GetRequest { Name = "team-b" }, cancellationToken: Cancel);
        Assert.Equal((2L, 2L), (teamB.Revision, teamB.CapabilityRevision));
        await Eventually.Holds(async () => !(await fleet.TargetAsync("a1")).Capabilities.ContainsKey("database/team-a"), "target no longer lists team-a");
    }

    [Fact]
    public async Task BadInstances_AreRefusedWithEveryViolation_AndStoreNothing()
    {
        await using var fleet = await FleetHarness.StartAsync();
        await fleet.ApplyAsync(InstanceDocuments.Database());
        await fleet.ApplyAsync(Capabilities.Greeter("1"));

        var bad = await fleet.ApplyAsync(InstanceDocuments.Instance("team-x", "{ size: 0, tier: gold, colour: red }"));
        var unknownCapability = await fleet.ApplyAsync(InstanceDocuments.Instance("team-y", "{ team: y }").Replace("capability: database", "capability: nosuch"));
        var noInputs = await fleet.ApplyAsync(InstanceDocuments.Instance("team-z", "{ team: z }").Replace("capability: database", "capability: greeter"));

        var messages = string.Join("\n", bad.Errors.Select(e => $"{e.Line}:{e.Column} {e.Field}: {e.Message}"));
        Assert.True(bad.Errors.Count >= 4, messages);
        Assert.Contains("team", messages);
        Assert.Contains("size", messages);
        Assert.Contains("tier", messages);
        Assert.Contains("colour", messages);
        Assert.Contains("nosuch", string.Join("\n", unknownCapability.Errors.Select(e => e.Message)));
        Assert.Contains("takes no inputs", string.Join("\n", noInputs.Errors.Select(e => e.Message)));
        Assert.Empty((await fleet.Admin.ListInstancesAsync(new ListRequest(), cancellationToken: Cancel)).Items);
    }

    [Fact]
    public async Task CapabilityWithInstances_CannotBeDeletedOrLoseInputsTheyNeed_AndRolloutCommandsNameTheInstance()
    {
        await using var fleet = await FleetHarness.StartAsync();
        await fleet.ApplyAsync(InstanceDocuments.Database());
        await fleet.ApplyAsync(InstanceDocuments.Instance("team-a", "{ team: a }"));

        var delete = await Assert.ThrowsAsync<RpcException>(async () => await fleet.Admin.DeleteAsync(new DeleteRequest { Kind = "capability", Name = "database" }, cancellationToken: Cancel));
        var stricter = await fleet.ApplyAsync(InstanceDocuments.Database("2", extraInput: "    region: string | required=true"));
        var startWhole = await Assert.ThrowsAsync<RpcException>(async () => await fleet.Admin.StartRolloutAsync(new StartRolloutRequest { Capability = "database" }, cancellationToken: Cancel));
        var startInstance = await fleet.Admin.StartRolloutAsync(new StartRolloutRequest { Capability = "database/team-a" }, cancellationToken: Cancel);
        var plan = await fleet.Admin.PlanRolloutAsync(new StartRolloutRequest { Capability = "database/team-a" }, cancellationToken: Cancel);

        Assert.Equal(StatusCode.FailedPrecondition, delete.StatusCode);
        Assert.Contains("team-a", delete.Status.Detail);
        Assert.Contains("team-a", string.Join("\n", stricter.Errors.Select(e => e.Message)));
        Assert.Contains("region", string.Join("\n", stricter.Errors.Select(e => e.Message)));
        Assert.Equal([1L], (await fleet.CapabilityAsync("database")).Revisions);
        Assert.Contains("database/INSTANCE", startWhole.Status.Detail);
        Assert.Equal(("database", "team-a"), (startInstance.Capability, startInstance.Instance));
        Assert.Equal("database/team-a", plan.Capability);
    }

    [Fact]
    public async Task Render_ForAnInstance_ShowsItsInputsWithDefaults_AndWithoutOneExplains()
    {
        await using var fleet = await FleetHarness.StartAsync();
        fleet.StartAgent("a1", "env=dev");
        await fleet.WaitForConnectedAsync(1);
        await fleet.ApplyAsync(InstanceDocuments.Database(trigger: "manual"));
        await fleet.ApplyAsync(InstanceDocuments.Instance("team-a", "{ team: a }"));

        var rendered = await fleet.Admin.RenderCapabilityAsync(new RenderRequest { Capability = "database", Target = "a1", Instance = "team-a" }, cancellationToken: Cancel);
        var without = await Assert.ThrowsAsync<RpcException>(async () => await fleet.Admin.RenderCapabilityAsync(new RenderRequest { Capability = "database", Target = "a1" }, cancellationToken: Cancel));

        Assert.Equal("database/team-a", rendered.Desired.Key);
        Assert.Equal("team-a", rendered.Desired.Instance);
        Assert.Equal("team=a size=10 tier=standard on a1 v1", rendered.Desired.Resources.Single().File.Content);
        Assert.Equal("""{"size":10,"team":"a","tier":"standard"}""", rendered.InputsJson);
        Assert.Contains("--instance", without.Status.Detail);
        Assert.Contains("team-a", without.Status.Detail);
        // Manual trigger: nothing reaches the target until a rollout of the instance is started.
        Assert.Null(fleet.ReadTargetFile("a1", "db/team-a.conf"));
    }

    [Fact]
    public async Task Restart_KeepsInstancesAndTheirDelivery()
    {
        await using var fleet = await FleetHarness.StartAsync();
        fleet.StartAgent("a1", "env=dev");
        await fleet.WaitForConnectedAsync(1);
        await fleet.ApplyAsync(InstanceDocuments.Database());
        var applied = await fleet.ApplyAsync(InstanceDocuments.Instance("team-a", "{ team: a }"));
        await Eventually.Holds(async () => (await fleet.RolloutAsync(applied.RolloutId)).Phase == RolloutPhase.Succeeded, "delivered");

        await fleet.StopHubAsync();
        await fleet.StartHubAsync();
        fleet.StartAgent("a2", "env=dev");

        await Eventually.Holds(() => fleet.ReadTargetFile("a2", "db/team-a.conf") == "team=a size=10 tier=standard on a2 v1", "a target joining after the restart gets the instance's stable revision");
        var instance = await fleet.Admin.GetInstanceAsync(new GetRequest { Name = "team-a" }, cancellationToken: Cancel);
        Assert.Equal((1L, 1L), (instance.Revision, instance.StableRevision));
    }
}
