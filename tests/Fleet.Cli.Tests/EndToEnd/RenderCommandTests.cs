using System.Diagnostics;
using System.Text.Json;

namespace Fleet.Cli.Tests.EndToEnd;

/// <summary><c>fleet render</c> with the built programs: human and JSON output, exit codes.</summary>
public sealed class RenderCommandTests : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-render-").FullName;
    private readonly List<Process> _processes = [];
    private readonly int _port = Programs.FreePort();

    private string Hub => $"http://127.0.0.1:{_port}";

    [Fact]
    public async Task Render_ConnectedTarget_PrintsResourcesAsReceivedAndFailsForUnknownOrUnrenderable()
    {
        StartHub();
        await WaitFor(async () => (await Programs.Fleet("--hub", Hub, "get", "targets", "-o", "json")).Exit == 0, "the hub answers");
        StartAgent("a1", "env=dev", "region=eu");
        StartAgent("b1", "env=prod");
        await WaitFor(async () => (await Programs.Fleet("--hub", Hub, "get", "targets", "-o", "json")).Out.Split("\"connected\": true").Length == 3, "two agents connected");
        var file = Path.Combine(_dir, "motd.yaml");
        await File.WriteAllTextAsync(file, """
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
            """, TestContext.Current.CancellationToken);
        Assert.Equal(0, (await Programs.Fleet("--hub", Hub, "apply", "-f", file)).Exit);

        var human = await Programs.Fleet("--hub", Hub, "render", "motd", "--target", "a1");
        var json = await Programs.Fleet("--hub", Hub, "render", "motd", "--target", "a1", "-o", "json");
        var unknown = await Programs.Fleet("--hub", Hub, "render", "motd", "--target", "ghost");
        var unplaced = await Programs.Fleet("--hub", Hub, "render", "motd", "--target", "b1");

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

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await Programs.KillHard(process);
            process.Dispose();
        }

        Directory.Delete(_dir, recursive: true);
    }

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
    private async Task WaitFor(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"timed out waiting for: {what}");
    }
}
