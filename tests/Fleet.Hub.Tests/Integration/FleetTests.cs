using Fleet.Protocol.Admin.V1;

namespace Fleet.Hub.Tests.Integration;

/// <summary>Hub and agents end to end over loopback gRPC: placement, templating, revisions, pruning, joining, deleting.</summary>
public sealed class FleetTests
{
    [Fact]
    public async Task Apply_CapabilityPlacedOnDev_ReachesExactlyTheDevTargetsWithTemplatedContent()
    {
        await using var fleet = await FleetHarness.StartAsync();
        fleet.StartAgent("a1", "env=dev", "region=eu");
        fleet.StartAgent("a2", "env=dev", "region=us");
        fleet.StartAgent("p1", "env=prod", "region=eu");
        await fleet.WaitForConnectedAsync(3);

        var applied = await fleet.ApplyAsync(Capabilities.Greeter("1"));

        Assert.Equal(("created", 1L), (applied.Outcome, applied.Revision));
        await Eventually.Holds(() => fleet.ReadTargetFile("a1", "etc/greeter/hello.txt") == "hello a1 in eu v1", "a1 has revision 1");
        await Eventually.Holds(() => fleet.ReadTargetFile("a2", "etc/greeter/hello.txt") == "hello a2 in us v1", "a2 has revision 1");
        await Eventually.Holds(async () => (await fleet.TargetAsync("a1")).Capabilities["greeter"] is { Revision: 1, State: TargetCapabilityState.Ready }, "a1 reports Ready");
        var rollout = await fleet.RolloutAsync(applied.RolloutId);
        await Eventually.Holds(async () => (await fleet.RolloutAsync(applied.RolloutId)).Phase == RolloutPhase.Succeeded, "rollout succeeded");
        Assert.Equal(2, rollout.Counts.Total);
        Assert.Null(fleet.ReadTargetFile("p1", "etc/greeter/hello.txt"));
        Assert.Empty((await fleet.TargetAsync("p1")).Capabilities);
    }

    [Fact]
    public async Task Apply_SameSpecTwice_SecondIsUnchangedAndStartsNoRollout()
    {
        await using var fleet = await FleetHarness.StartAsync();

        await fleet.ApplyAsync(Capabilities.Greeter("1"));
        var again = await fleet.ApplyAsync(Capabilities.Greeter("1"));

        Assert.Equal(("unchanged", 1L, ""), (again.Outcome, again.Revision, again.RolloutId));
    }

    [Fact]
    public async Task Apply_NewRevisions_UpdateTargetsAndPruneARemovedResource()
    {
        await using var fleet = await FleetHarness.StartAsync();
        fleet.StartAgent("a1", "env=dev", "region=eu");
        await fleet.WaitForConnectedAsync(1);

        await fleet.ApplyAsync(Capabilities.Greeter("1"));
        await Eventually.Holds(() => fleet.ReadTargetFile("a1", "etc/greeter/hello.txt") == "hello a1 in eu v1", "revision 1");
        var second = await fleet.ApplyAsync(Capabilities.Greeter("2", extra: Capabilities.ExtraResource));
        await Eventually.Holds(() => fleet.ReadTargetFile("a1", "etc/greeter/extra.txt") == "dev-extra", "revision 2 adds extra.txt");
        var third = await fleet.ApplyAsync(Capabilities.Greeter("3"));
        await Eventually.Holds(() => fleet.ReadTargetFile("a1", "etc/greeter/hello.txt") == "hello a1 in eu v3", "revision 3");
        await Eventually.Holds(() => fleet.ReadTargetFile("a1", "etc/greeter/extra.txt") is null, "extra.txt pruned by revision 3");

        Assert.Equal(("configured", 2L), (second.Outcome, second.Revision));
        Assert.Equal(3L, third.Revision);
        await Eventually.Holds(async () => (await fleet.TargetAsync("a1")).Capabilities["greeter"] is { Revision: 3, State: TargetCapabilityState.Ready }, "a1 Ready at 3");
        var capability = await fleet.CapabilityAsync("greeter");
        await Eventually.Holds(async () => (await fleet.CapabilityAsync("greeter")).StableRevision == 3, "stable revision 3");
        Assert.Equal([1L, 2L, 3L], capability.Revisions);
    }

    [Fact]
    public async Task Connect_TargetJoiningAfterTheRollout_ReceivesTheStableRevision()
    {
        await using var fleet = await FleetHarness.StartAsync();
        fleet.StartAgent("a1", "env=dev", "region=eu");
        await fleet.WaitForConnectedAsync(1);
        var applied = await fleet.ApplyAsync(Capabilities.Greeter("1"));
        await Eventually.Holds(async () => (await fleet.RolloutAsync(applied.RolloutId)).Phase == RolloutPhase.Succeeded, "rollout succeeded");

        fleet.StartAgent("late", "env=dev", "region=ap");

        await Eventually.Holds(() => fleet.ReadTargetFile("late", "etc/greeter/hello.txt") == "hello late in ap v1", "the late target got revision 1");
    }

    [Fact]
    public async Task Connect_TargetWhoseLabelsNoLongerMatch_HasTheCapabilityRemoved()
    {
        await using var fleet = await FleetHarness.StartAsync();
        var agent = fleet.StartAgent("a1", "env=dev", "region=eu");
        await fleet.WaitForConnectedAsync(1);
        var applied = await fleet.ApplyAsync(Capabilities.Greeter("1"));
        await Eventually.Holds(async () => (await fleet.RolloutAsync(applied.RolloutId)).Phase == RolloutPhase.Succeeded, "rollout succeeded");

        await agent.DisposeAsync();
        await Eventually.Holds(async () => !(await fleet.TargetAsync("a1")).Connected, "a1 disconnected");
        fleet.StartAgent("a1", "env=prod", "region=eu");

        await Eventually.Holds(() => fleet.ReadTargetFile("a1", "etc/greeter/hello.txt") is null, "the file is removed from a target that left the placement");
        await Eventually.Holds(async () => (await fleet.TargetAsync("a1")).Capabilities.Count == 0, "the hub forgets the capability on a1");
    }

    [Fact]
    public async Task Delete_Capability_IsRemovedFromEveryTarget()
    {
        await using var fleet = await FleetHarness.StartAsync();
        fleet.StartAgent("a1", "env=dev", "region=eu");
        fleet.StartAgent("a2", "env=dev", "region=us");
        await fleet.WaitForConnectedAsync(2);
        await fleet.ApplyAsync(Capabilities.Greeter("1"));
        await Eventually.Holds(() => fleet.ReadTargetFile("a2", "etc/greeter/hello.txt") is not null, "a2 has the file");

        var deleted = await fleet.DeleteCapabilityAsync("greeter");

        Assert.True(deleted);
        await Eventually.Holds(() => fleet.ReadTargetFile("a1", "etc/greeter/hello.txt") is null && fleet.ReadTargetFile("a2", "etc/greeter/hello.txt") is null, "files removed");
        Assert.Empty(await fleet.CapabilitiesAsync());
        Assert.False(await fleet.DeleteCapabilityAsync("greeter"));
    }

    [Fact]
    public async Task Apply_TargetThatCannotRenderTheRevision_PausesTheRolloutAtTheFirstFailure()
    {
        await using var fleet = await FleetHarness.StartAsync();
        fleet.StartAgent("a1", "env=dev");
        await fleet.WaitForConnectedAsync(1);

        // a1 has no region label: the template cannot be rendered for it.
        var applied = await fleet.ApplyAsync(Capabilities.Greeter("1"));

        await Eventually.Holds(async () => (await fleet.RolloutAsync(applied.RolloutId)).Phase == RolloutPhase.Paused, "rollout paused");
        var rollout = await fleet.RolloutAsync(applied.RolloutId);
        Assert.Equal(1, rollout.Counts.Failed);
        Assert.Contains("region", rollout.Message);
        Assert.Equal(0, (await fleet.CapabilityAsync("greeter")).StableRevision);
    }

    [Fact]
    public async Task Apply_InvalidDocument_ReturnsEveryErrorAndStoresNothing()
    {
        await using var fleet = await FleetHarness.StartAsync();

        var response = await fleet.ApplyAsync("""
            apiVersion: fleet/v1alpha1
            kind: Capability
            metadata:
              name: Bad_Name
            spec:
              resources:
                - id: broken
                  file:
                    path: ../../etc/passwd
                    content: "${target.name +}"
            """);

        Assert.True(response.Errors.Count >= 3, string.Join("\n", response.Errors));
        Assert.Contains(response.Errors, e => e.Line == 4 && e.Field == "metadata.name");
        Assert.Contains(response.Errors, e => e.Line == 9 && e.Field.EndsWith("file.path", StringComparison.Ordinal));
        Assert.Contains(response.Errors, e => e.Line == 10 && e.Field.EndsWith("file.content", StringComparison.Ordinal));
        Assert.Empty(await fleet.CapabilitiesAsync());
    }

    [Fact]
    public async Task Restart_HubStoppedAndStartedOnTheSameData_KeepsRevisionsAndAgentsReconnect()
    {
        await using var fleet = await FleetHarness.StartAsync();
        fleet.StartAgent("a1", "env=dev", "region=eu");
        await fleet.WaitForConnectedAsync(1);
        await fleet.ApplyAsync(Capabilities.Greeter("1"));
        await fleet.ApplyAsync(Capabilities.Greeter("2"));
        await Eventually.Holds(() => fleet.ReadTargetFile("a1", "etc/greeter/hello.txt") == "hello a1 in eu v2", "revision 2");

        await fleet.StopHubAsync();
        await fleet.StartHubAsync();

        Assert.Equal(2L, (await fleet.CapabilityAsync("greeter")).Revision);
        await fleet.WaitForConnectedAsync(1);
        await fleet.ApplyAsync(Capabilities.Greeter("3"));
        await Eventually.Holds(() => fleet.ReadTargetFile("a1", "etc/greeter/hello.txt") == "hello a1 in eu v3", "revision 3 after restart");
    }

    [Fact]
    public async Task Restart_MidRollout_ResumesAndFinishesWhenTheWaitingTargetReturns()
    {
        await using var fleet = await FleetHarness.StartAsync();

        await RestartScenarios.MidRolloutResumesAndFinishesWhenTheWaitingTargetReturns(fleet);
    }
}
