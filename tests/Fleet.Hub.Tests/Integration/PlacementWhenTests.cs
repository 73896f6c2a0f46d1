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
    public async Task Apply_WhenThatDependsOnTheTarget_IsStored()
    {
        await using var fleet = await FleetHarness.StartAsync();

        var response = await fleet.ApplyAsync(WithWhen("${target.labels.env == 'dev'}"));

        Assert.Empty(response.Errors);
        Assert.Equal("created", response.Outcome);
    }
}
