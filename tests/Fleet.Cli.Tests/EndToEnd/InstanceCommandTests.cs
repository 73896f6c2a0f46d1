using System.Text.Json;

namespace Fleet.Cli.Tests.EndToEnd;

/// <summary>Capabilities with inputs and their Instances against hub and agent processes (the CLI in process): apply, get, render, delete, exit codes.</summary>
public sealed class InstanceCommandTests : IAsyncDisposable
{
    private const string Database = """
        apiVersion: fleet/v1alpha1
        kind: Capability
        metadata:
          name: database
        spec:
          version: "1.0"
          inputs:
            team: string | required=true
            size: integer | default=10 minimum=1 maximum=100
          placement:
            selector:
              matchLabels: { env: dev }
          resources:
            - id: config
              file: { path: "db/${instance.name}.conf", content: "team=${inputs.team} size=${inputs.size}" }
        """;

    private readonly LocalFleet _fleet = new("fleet-instances-");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Instances_ApplyGetRenderDelete_AndABadFileChangesNothing()
    {
        _fleet.StartHub();
        await _fleet.WaitFor(_fleet.HubAnswers, "the hub answers");
        _fleet.StartAgent("a1", "env=dev");
        await _fleet.WaitFor(async () => await _fleet.ConnectedTargets() == 1, "the agent connected");
        var bad = await _fleet.Write("bad.yaml", Database + "\n---\n" + Instance("team-a", "{ team: a }") + "\n---\n" + Instance("team-b", "{ size: 0, colour: red }"));
        var good = await _fleet.Write("good.yaml", Database + "\n---\n" + Instance("team-a", "{ team: a }") + "\n---\n" + Instance("team-b", "{ team: b, size: 20 }"));
        var badUpdate = await _fleet.Write("bad-update.yaml", Instance("team-a", "{ team: a, size: 1000 }"));

        var refused = await _fleet.Cli("apply", "-f", bad);
        var nothing = await _fleet.Cli("get", "capabilities", "-o", "json");
        var applied = await _fleet.Cli("apply", "-f", good);
        await _fleet.WaitFor(() => File.Exists(_fleet.TargetFile("a1", "db/team-a.conf")) && File.Exists(_fleet.TargetFile("a1", "db/team-b.conf")), "both instances delivered");
        var delivered = await File.ReadAllTextAsync(_fleet.TargetFile("a1", "db/team-a.conf"), Cancel);
        var refusedUpdate = await _fleet.Cli("apply", "-f", badUpdate);
        var list = await _fleet.Cli("get", "instances", "-o", "json");
        var rendered = await _fleet.Cli("render", "database", "--target", "a1", "--instance", "team-a");
        var renderWithout = await _fleet.Cli("render", "database", "--target", "a1");
        // A file with a local error (a bad expression), an Instance only the hub can check, and a duplicate: all three reported.
        var mixed = await _fleet.Write("mixed.yaml", Database.Replace("name: database", "name: other").Replace("${inputs.size}", "${inputs.nope}")
            + "\n---\n" + Instance("team-c", "{ team: c, size: 0 }") + "\n---\n" + Instance("team-c", "{ team: c }"));
        var mixedResult = await _fleet.Cli("apply", "-f", mixed);
        var selector = await _fleet.Cli("get", "instances", "-l", "x=y");
        var deleteCapability = await _fleet.Cli("delete", "capability", "database");
        var deleteInstance = await _fleet.Cli("delete", "instance", "team-a");
        await _fleet.WaitFor(() => !File.Exists(_fleet.TargetFile("a1", "db/team-a.conf")), "team-a removed from a1");

        Assert.Equal(2, refused.Exit);
        Assert.Contains($"error: {bad}:", refused.Err);
        Assert.Contains("spec.inputs", refused.Err);
        Assert.Contains("colour", refused.Err);
        Assert.Contains("nothing was applied", refused.Err);
        Assert.Equal(0, JsonDocument.Parse(nothing.Out).RootElement.GetProperty("items").GetArrayLength());
        Assert.Equal(0, applied.Exit);
        Assert.Contains("capability/database revision 1 created", applied.Out);
        Assert.Contains("instance/team-a revision 1 created", applied.Out);
        Assert.Contains("rollout/database.team-a-1 started", applied.Out);
        Assert.Equal("team=a size=10", delivered);
        Assert.Equal(2, refusedUpdate.Exit);
        Assert.Contains("1000", refusedUpdate.Err);
        var items = JsonDocument.Parse(list.Out).RootElement.GetProperty("items");
        Assert.Equal(2, items.GetArrayLength());
        Assert.Equal(("team-a", "database", 1), (items[0].GetProperty("name").GetString(), items[0].GetProperty("capability").GetString(), items[0].GetProperty("revision").GetInt32()));
        Assert.Equal(10, items[0].GetProperty("inputs").GetProperty("size").GetInt32());
        Assert.Equal(0, rendered.Exit);
        Assert.Contains("instance: team-a", rendered.Out);
        Assert.Contains("team=a size=10", rendered.Out);
        Assert.Equal(2, renderWithout.Exit);
        Assert.Contains("--instance", renderWithout.Err);
        Assert.Equal(1, deleteCapability.Exit);
        Assert.Contains("team-a", deleteCapability.Err);
        Assert.Equal(2, mixedResult.Exit);
        Assert.Contains("nope", mixedResult.Err);
        Assert.Contains("spec.inputs.size: 0 is less than the minimum 1", mixedResult.Err);
        Assert.Contains("instance/team-c is already defined in this input", mixedResult.Err);
        Assert.Contains("3 problem(s) found", mixedResult.Err);
        Assert.Equal(2, selector.Exit);
        Assert.Contains("targets only", selector.Err);
        Assert.Equal(0, deleteInstance.Exit);
        Assert.Contains("instance/team-a deleted", deleteInstance.Out);
        Assert.True(File.Exists(_fleet.TargetFile("a1", "db/team-b.conf")));
    }

    public ValueTask DisposeAsync() => _fleet.DisposeAsync();

    private static string Instance(string name, string inputs) => $$"""
        apiVersion: fleet/v1alpha1
        kind: Instance
        metadata:
          name: {{name}}
        spec:
          capability: database
          inputs: {{inputs}}
        """;
}
