using Fleet.Protocol.Admin.V1;
using Grpc.Core;

namespace Fleet.Hub.Tests.Integration;

/// <summary><c>RenderCapability</c> (<c>fleet render</c>): a revision as one target would receive it, placed or not.</summary>
public sealed class RenderTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Render_PlacedTarget_GivesTheFilesTheAgentWrites()
    {
        await using var fleet = await FleetHarness.StartAsync();
        fleet.StartAgent("a1", "env=dev", "region=eu");
        await fleet.WaitForConnectedAsync(1);
        await fleet.ApplyAsync(Capabilities.Greeter("1"));
        await fleet.ApplyAsync(Capabilities.Greeter("2", extra: Capabilities.ExtraResource));

        var latest = await Render(fleet, "greeter", "a1");
        var first = await Render(fleet, "greeter", "a1", revision: 1);

        Assert.Equal((2L, "2", "files", true), (latest.Revision, latest.Version, latest.Driver, latest.Placed));
        Assert.Contains("env", latest.PlacementReason);
        Assert.Equal("", latest.Desired.Error);
        Assert.Equal(["hello", "extra"], latest.Desired.Resources.Select(r => r.Id));
        Assert.Equal(("etc/greeter/hello.txt", "hello a1 in eu v2", "0644"),
            (latest.Desired.Resources[0].File.Path, latest.Desired.Resources[0].File.Content, latest.Desired.Resources[0].File.Mode));
        Assert.Equal("dev-extra", latest.Desired.Resources[1].File.Content);
        Assert.Equal(["hello"], first.Desired.Resources.Select(r => r.Id));
        Assert.Equal("hello a1 in eu v1", first.Desired.Resources[0].File.Content);

        // Exactly what the target receives: the agent reports the same hash once it runs revision 2.
        await Eventually.Holds(async () => (await fleet.TargetAsync("a1")).Capabilities["greeter"] is { Revision: 2, State: TargetCapabilityState.Ready }, "a1 Ready at 2");
        Assert.Equal("hello a1 in eu v2", fleet.ReadTargetFile("a1", "etc/greeter/hello.txt"));
    }

    [Fact]
    public async Task Render_TargetNotPlaced_StillRendersAndSaysWhy()
    {
        await using var fleet = await FleetHarness.StartAsync();
        fleet.StartAgent("p1", "env=prod", "region=us");
        await fleet.WaitForConnectedAsync(1);
        await fleet.ApplyAsync(Capabilities.Greeter("1"));

        var result = await Render(fleet, "greeter", "p1");

        Assert.False(result.Placed);
        Assert.Contains("env", result.PlacementReason);
        Assert.Equal("hello p1 in us v1", Assert.Single(result.Desired.Resources).File.Content);
    }

    [Fact]
    public async Task Render_TemplateFailsForTarget_ReturnsTheErrorAndNoResources()
    {
        await using var fleet = await FleetHarness.StartAsync();
        // No region label: ${target.labels.region} has no value for this target.
        fleet.StartAgent("a1", "env=dev");
        await fleet.WaitForConnectedAsync(1);
        await fleet.ApplyAsync(Capabilities.Greeter("1"));

        var result = await Render(fleet, "greeter", "a1");

        Assert.True(result.Placed);
        Assert.Contains("resource 'hello' file.content", result.Desired.Error);
        Assert.Empty(result.Desired.Resources);
    }

    [Theory]
    [InlineData("greeter", "ghost", 0L, "target ghost not found")]
    [InlineData("nothing", "a1", 0L, "capability nothing not found")]
    [InlineData("greeter", "a1", 7L, "has no revision 7")]
    public async Task Render_UnknownTargetCapabilityOrRevision_IsNotFound(string capability, string target, long revision, string message)
    {
        await using var fleet = await FleetHarness.StartAsync();
        fleet.StartAgent("a1", "env=dev", "region=eu");
        await fleet.WaitForConnectedAsync(1);
        await fleet.ApplyAsync(Capabilities.Greeter("1"));

        var e = await Assert.ThrowsAsync<RpcException>(() => Render(fleet, capability, target, revision));

        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Contains(message, e.Status.Detail);
    }

    private static async Task<RenderResult> Render(FleetHarness fleet, string capability, string target, long revision = 0) =>
        await fleet.Admin.RenderCapabilityAsync(new RenderRequest { Capability = capability, Target = target, Revision = revision }, cancellationToken: Cancel);
}
