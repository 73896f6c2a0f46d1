using Fleet.Protocol.Admin.V1;

namespace Fleet.Hub.Tests.Integration;

/// <summary><c>resources.&lt;id&gt;</c> through the hub: a cycle is refused at apply and nothing is stored; a valid reference is stored and named by render.</summary>
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
              file: { path: web.conf, content: "backend=${resources.db.status}" }
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
    public async Task Render_ValidReference_IsStoredAndRenderSaysItNeedsObservedState()
    {
        await using var fleet = await FleetHarness.StartAsync();
        fleet.StartAgent("a1");
        await fleet.WaitForConnectedAsync(1);

        var applied = await fleet.ApplyAsync(Document("plain"));
        var rendered = await fleet.Admin.RenderCapabilityAsync(new RenderRequest { Capability = "app", Target = "a1" }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Empty(applied.Errors);
        Assert.Equal(1L, applied.Revision);
        Assert.StartsWith("resource 'web' reads resources.db: that needs the observed state", rendered.Desired.Error, StringComparison.Ordinal);
    }
}
