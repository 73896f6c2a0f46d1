using System.Diagnostics;
using System.Text.Json;

namespace Fleet.Cli.Tests.EndToEnd;

/// <summary>Capabilities with inputs and their Instances through the built programs: apply, get, render, delete, exit codes.</summary>
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

    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-instances-").FullName;
    private readonly List<Process> _processes = [];
    private readonly int _port = Programs.FreePort();

    private string Hub => $"http://127.0.0.1:{_port}";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Instances_ApplyGetRenderDelete_AndABadFileChangesNothing()
    {
        StartHub();
        await WaitFor(async () => (await Programs.Fleet("--hub", Hub, "get", "targets", "-o", "json")).Exit == 0, "the hub answers");
        StartAgent("a1", "env=dev");
        await WaitFor(async () => (await Programs.Fleet("--hub", Hub, "get", "targets", "-o", "json")).Out.Contains("\"connected\": true"), "the agent connected");
        var bad = await Write("bad.yaml", Database + "\n---\n" + Instance("team-a", "{ team: a }") + "\n---\n" + Instance("team-b", "{ size: 0, colour: red }"));
        var good = await Write("good.yaml", Database + "\n---\n" + Instance("team-a", "{ team: a }") + "\n---\n" + Instance("team-b", "{ team: b, size: 20 }"));
        var badUpdate = await Write("bad-update.yaml", Instance("team-a", "{ team: a, size: 1000 }"));

        var refused = await Programs.Fleet("--hub", Hub, "apply", "-f", bad);
        var nothing = await Programs.Fleet("--hub", Hub, "get", "capabilities", "-o", "json");
        var applied = await Programs.Fleet("--hub", Hub, "apply", "-f", good);
        await WaitFor(() => Task.FromResult(File.Exists(TargetFile("a1", "db/team-a.conf")) && File.Exists(TargetFile("a1", "db/team-b.conf"))), "both instances delivered");
        var delivered = await File.ReadAllTextAsync(TargetFile("a1", "db/team-a.conf"), Cancel);
        var refusedUpdate = await Programs.Fleet("--hub", Hub, "apply", "-f", badUpdate);
        var list = await Programs.Fleet("--hub", Hub, "get", "instances", "-o", "json");
        var rendered = await Programs.Fleet("--hub", Hub, "render", "database", "--target", "a1", "--instance", "team-a");
        var renderWithout = await Programs.Fleet("--hub", Hub, "render", "database", "--target", "a1");
        var deleteCapability = await Programs.Fleet("--hub", Hub, "delete", "capability", "database");
        var deleteInstance = await Programs.Fleet("--hub", Hub, "delete", "instance", "team-a");
        await WaitFor(() => Task.FromResult(!File.Exists(TargetFile("a1", "db/team-a.conf"))), "team-a removed from a1");

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
        Assert.Equal(1, renderWithout.Exit);
        Assert.Contains("--instance", renderWithout.Err);
        Assert.Equal(1, deleteCapability.Exit);
        Assert.Contains("team-a", deleteCapability.Err);
        Assert.Equal(0, deleteInstance.Exit);
        Assert.Contains("instance/team-a deleted", deleteInstance.Out);
        Assert.True(File.Exists(TargetFile("a1", "db/team-b.conf")));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await Programs.KillHard(process);
            process.Dispose();
        }

        Directory.Delete(_dir, recursive: true);
    }

    private static string Instance(string name, string inputs) => $$"""
        apiVersion: fleet/v1alpha1
        kind: Instance
        metadata:
          name: {{name}}
        spec:
          capability: database
          inputs: {{inputs}}
        """;

    private async Task<string> Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        await File.WriteAllTextAsync(path, text, Cancel);
        return path;
    }

    private string TargetFile(string target, string path) => Path.Combine(_dir, "targets", target, path);

    private void StartHub() =>
        _processes.Add(Programs.Start(Programs.Hub,
            ["--insecure", "--urls", Hub, "--data-dir", Path.Combine(_dir, "hub"), "--silo-port", Programs.FreePort().ToString(), "--gateway-port", Programs.FreePort().ToString()],
            Path.Combine(_dir, "hub.log")));

    private void StartAgent(string name, params string[] labels)
    {
        var args = new List<string> { "--hub", Hub, "--insecure", "--name", name, "--driver", "files", "--root", Path.Combine(_dir, "targets", name), "--state-dir", Path.Combine(_dir, "state", name) };
        foreach (var label in labels)
        {
            args.AddRange(["--label", label]);
        }

        _processes.Add(Programs.Start(Programs.Agent, args, Path.Combine(_dir, $"agent-{name}.log")));
    }

    /// <summary>Real processes become ready asynchronously; the bound only stops a hang.</summary>
    private static async Task WaitFor(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(200, Cancel);
        }

        Assert.Fail($"timed out waiting for: {what}");
    }
}
