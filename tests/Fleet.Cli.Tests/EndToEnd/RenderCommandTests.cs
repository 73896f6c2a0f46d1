using System.Text.Json;

namespace Fleet.Cli.Tests.EndToEnd;

/// <summary><c>fleet render</c> against hub and agent processes (the CLI in process): human and JSON output, exit codes.</summary>
public sealed class RenderCommandTests : IAsyncDisposable
{
    private readonly LocalFleet _fleet = new("fleet-render-");

    [Fact]
    public async Task Render_ConnectedTarget_PrintsResourcesAsReceivedAndFailsForUnknownOrUnrenderable()
    {
        _fleet.StartHub();
        await _fleet.WaitFor(_fleet.HubAnswers, "the hub answers");
        _fleet.StartAgent("a1", "env=dev", "region=eu");
        _fleet.StartAgent("b1", "env=prod");
        await _fleet.WaitFor(async () => await _fleet.ConnectedTargets() == 2, "two agents connected");
        await _fleet.Apply("""
            apiVersion: fleet/v1alpha1
            kind: Capability
            metadata:
              name: motd
            spec:
              version: "1.0"
              placement:
                selector:
                  matchLabels: { env: dev }
              resources:
                - id: motd
                  file: { path: etc/motd, mode: "0600", content: "Hello ${target.name} in ${target.labels.region}\n" }
            """);

        var human = await _fleet.Cli("render", "motd", "--target", "a1");
        var json = await _fleet.Cli("render", "motd", "--target", "a1", "-o", "json");
        var unknown = await _fleet.Cli("render", "motd", "--target", "ghost");
        var unplaced = await _fleet.Cli("render", "motd", "--target", "b1");

        Assert.Equal(0, human.Exit);
        Assert.Contains("placed: yes", human.Out);
        Assert.Contains("  - id: motd\n    kind: file\n", human.Out);
        Assert.Contains("    path: etc/motd\n    mode: \"0600\"\n    content: |\n      Hello a1 in eu\n", human.Out);
        Assert.Equal(0, json.Exit);
        var root = JsonDocument.Parse(json.Out).RootElement;
        Assert.Equal((1, true), (root.GetProperty("revision").GetInt32(), root.GetProperty("placed").GetBoolean()));
        Assert.Equal("Hello a1 in eu\n", root.GetProperty("resources")[0].GetProperty("file").GetProperty("content").GetString());
        Assert.Equal(1, unknown.Exit);
        Assert.StartsWith("error: target ghost not found", unknown.Err);
        // b1 is not placed and has no region label: it says so, and the render error exits 1.
        Assert.Equal(1, unplaced.Exit);
        Assert.Contains("placed: no (not placed:", unplaced.Out);
        Assert.StartsWith("error: motd revision 1 does not render for b1: resource 'motd' file.content", unplaced.Err);
    }

    public ValueTask DisposeAsync() => _fleet.DisposeAsync();
}
