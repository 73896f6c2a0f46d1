using Fleet.Protocol.Admin.V1;

namespace Fleet.Hub.Tests.Integration;

/// <summary>
/// <c>resources.&lt;id&gt;</c> through the hub: a cycle is refused at apply and nothing is stored; a resource reading another
/// is sent awaiting until the target reports that one Ready with its observed state, then rendered from it.
/// </summary>
public sealed class ResourceReferenceTests
{
    private static string Document(string dbContent) => $$"""
        apiVersion: fleet/v1alpha1
        kind: Capability
        metadata:
          name: app
        spec:
          resources:
            - id: web
              file: { path: web.conf, content: "backend=${resources.db.path}" }
            - id: db
              file: { path: db.conf, content: "{{dbContent}}" }
        """;

    [Fact]
    public async Task Apply_CycleBetweenResources_IsRefusedWithTheCycleNamedAndNothingStored()
    {
        await using var fleet = await FleetHarness.StartAsync();

        var applied = await fleet.ApplyAsync(Document("${resources.web.status}"));

        var error = Assert.Single(applied.Errors);
        Assert.Equal((8, 49), (error.Line, error.Column));
        Assert.StartsWith("resources form a cycle: web -> db -> web", error.Message, StringComparison.Ordinal);
        Assert.Empty(await fleet.CapabilitiesAsync());
    }

    [Fact]
    public async Task Apply_ResourceReadingAnother_IsRenderedFromItsObservedStateOnTheTarget()
    {
        await using var fleet = await FleetHarness.StartAsync();
        fleet.StartAgent("a1");
        await fleet.WaitForConnectedAsync(1);

        var applied = await fleet.ApplyAsync("""
            apiVersion: fleet/v1alpha1
            kind: Capability
            metadata:
              name: app
            spec:
              resources:
                - id: web
                  file: { path: web.conf, content: "backend=${resources.db.path} size=${resources.db.size}" }
                - id: db
                  file: { path: db.conf, content: "0123456789" }
            """);

        await Eventually.Holds(() => fleet.ReadTargetFile("a1", "web.conf") == "backend=db.conf size=10", "web rendered from db's observed state");
        await Eventually.Holds(async () => (await fleet.RolloutAsync(applied.RolloutId)).Phase == RolloutPhase.Succeeded, "the rollout waits for the rendered web and succeeds");
        var rendered = await fleet.Admin.RenderCapabilityAsync(new RenderRequest { Capability = "app", Target = "a1" }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(["db", "web"], rendered.Desired.Resources.Select(r => r.Id));
        Assert.Equal("backend=db.conf size=10", rendered.Desired.Resources[1].File.Content);
        Assert.Equal(["db"], rendered.Desired.Resources[1].DependsOn);
        Assert.Equal(TargetCapabilityState.Ready, (await fleet.TargetAsync("a1")).Capabilities["app"].State);
    }

    [Fact]
    public async Task Render_BeforeTheTargetReported_ShowsTheReaderAwaiting()
    {
        await using var fleet = await FleetHarness.StartAsync();
        fleet.StartAgent("a1");
        await fleet.WaitForConnectedAsync(1);
        await fleet.ApplyAsync(Document("plain").Replace("spec:\n", "spec:\n  rollout: { trigger: manual }\n"));

        var rendered = await fleet.Admin.RenderCapabilityAsync(new RenderRequest { Capability = "app", Target = "a1" }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Empty(rendered.Desired.Error);
        Assert.Equal("waiting for the observed state of db (rendered once it is ready on this target)", rendered.Desired.Resources[1].Awaiting);
    }

    [Fact]
    public async Task ReaderThatFailsToRenderFromTheObservedState_SettlesAsFailed_AndTheRolloutSeesIt()
    {
        await using var fleet = await FleetHarness.StartAsync();
        fleet.StartAgent("a1");
        await fleet.WaitForConnectedAsync(1);

        // "db.conf" is no number: the reader can only fail on the target, and must do so once, not back and forth.
        var applied = await fleet.ApplyAsync(Document("plain").Replace("${resources.db.path}", "${int(resources.db.path)}"));

        await Eventually.Holds(async () => (await fleet.RolloutAsync(applied.RolloutId)).Phase == RolloutPhase.Paused, "the rollout counts the failure");
        var paused = await fleet.RolloutAsync(applied.RolloutId);
        var target = (await fleet.TargetAsync("a1")).Capabilities["app"];
        Assert.Equal(1, paused.Counts.Failed);
        Assert.Equal(TargetCapabilityState.Failed, target.State);
        Assert.Contains("int", target.Message);
    }
}
