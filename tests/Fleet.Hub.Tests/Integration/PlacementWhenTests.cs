using Grpc.Core;

namespace Fleet.Hub.Tests.Integration;

/// <summary>A placement <c>when</c> that fails for every target is refused by apply instead of placing the capability nowhere.</summary>
public sealed class PlacementWhenTests
{
    private static string WithWhen(string when) => $$"""
        apiVersion: fleet/v1alpha1
        kind: Capability
        metadata:
          name: gated
        spec:
          version: "1"
          placement:
            when: "{{when}}"
          resources:
            - id: f
              file:
                path: etc/gated.txt
                content: "x"
        """;

    [Fact]
    public async Task Apply_ConstantWhenThatFails_IsRefusedAtTheWhen()
    {
        await using var fleet = await FleetHarness.StartAsync();
        fleet.StartAgent("a1", "env=dev");
        await fleet.WaitForConnectedAsync(1);

        var response = await fleet.ApplyAsync(WithWhen("${1 / 0 == 1}"));

        var error = Assert.Single(response.Errors);
        Assert.Equal((8, "spec.placement.when"), (error.Line, error.Field));
        Assert.StartsWith("when ${1 / 0 == 1} failed: division by zero", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("it reads nothing of the target, so it fails for every target", error.Message, StringComparison.Ordinal);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => fleet.CapabilityAsync("gated"))).StatusCode);
    }

    [Fact]
    public async Task DescribeAndPlan_WhenThatFailsForOneTarget_SayWhyPerTarget()
    {
        await using var fleet = await FleetHarness.StartAsync();
        fleet.StartAgent("tiered", "env=dev", "tier=x");
        fleet.StartAgent("untiered", "env=dev");
        await fleet.WaitForConnectedAsync(2);
        Assert.Empty((await fleet.ApplyAsync(WithWhen("${target.labels.tier == 'x'}"))).Errors);

        var described = await fleet.Admin.DescribeCapabilityAsync(new Protocol.Admin.V1.GetRequest { Name = "gated" }, cancellationToken: TestContext.Current.CancellationToken);
        var plan = await fleet.Admin.PlanRolloutAsync(new Protocol.Admin.V1.StartRolloutRequest { Capability = "gated" }, cancellationToken: TestContext.Current.CancellationToken);

        var untiered = Assert.Single(described.Placement, p => p.Target == "untiered");
        Assert.False(untiered.Placed);
        Assert.StartsWith("when ${target.labels.tier == 'x'} failed: ", untiered.Reason, StringComparison.Ordinal);
        Assert.True(Assert.Single(described.Placement, p => p.Target == "tiered").Placed);
        Assert.StartsWith("not placed: when ${target.labels.tier == 'x'} failed: ", Assert.Single(plan.Excluded, t => t.Name == "untiered").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_WhenThatDependsOnTheTarget_IsStored()
    {
        await using var fleet = await FleetHarness.StartAsync();

        var response = await fleet.ApplyAsync(WithWhen("${target.labels.env == 'dev'}"));

        Assert.Empty(response.Errors);
        Assert.Equal("created", response.Outcome);
    }
}
