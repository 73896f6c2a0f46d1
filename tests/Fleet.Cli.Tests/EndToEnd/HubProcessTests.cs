using System.Diagnostics;
using System.Text.Json;

namespace Fleet.Cli.Tests.EndToEnd;

/// <summary>The built programs as separate processes: a hub SIGKILLed and restarted loses nothing it acknowledged.</summary>
public sealed class HubProcessTests : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-e2e-").FullName;
    private readonly List<Process> _processes = [];
    private readonly int _port = Programs.FreePort();

    private string Hub => $"http://127.0.0.1:{_port}";

    [Fact]
    public async Task KillHub_RestartOnSameData_KeepsRevisionsAgentsReconnectAndNextApplyWorks()
    {
        var hub = StartHub();
        await WaitFor(async () => (await Programs.Fleet("--hub", Hub, "get", "targets", "-o", "json")).Exit == 0, "the hub answers");
        StartAgent("a1", "env=dev", "region=eu");
        await WaitFor(async () => await ConnectedCount() == 1, "the agent connected");

        await Apply(Capability("1"));
        await Apply(Capability("2"));
        var file = Path.Combine(_dir, "targets", "a1", "etc", "hello.txt");
        await WaitFor(() => Task.FromResult(File.Exists(file) && File.ReadAllText(file) == "hello a1 v2"), "revision 2 on disk");

        await Programs.KillHard(hub);
        StartHub();
        await WaitFor(async () => (await Programs.Fleet("--hub", Hub, "get", "capabilities", "hello", "-o", "json")).Exit == 0, "the restarted hub answers");

        var capability = JsonDocument.Parse((await Programs.Fleet("--hub", Hub, "get", "capabilities", "hello", "-o", "json")).Out).RootElement;
        Assert.Equal(2, capability.GetProperty("revision").GetInt64());
        await WaitFor(async () => await ConnectedCount() == 1, "the agent reconnected by itself");
        await Apply(Capability("3"));
        await WaitFor(() => Task.FromResult(File.ReadAllText(file) == "hello a1 v3"), "revision 3 applied after the restart");
    }

    [Fact]
    public async Task KillHub_MidRollout_ResumesAndEveryTargetAppliesTheRevisionExactlyOnce()
    {
        var hub = StartHub();
        await WaitFor(async () => (await Programs.Fleet("--hub", Hub, "get", "targets", "-o", "json")).Exit == 0, "the hub answers");
        var names = new[] { "a1", "a2", "a3", "a4" };
        foreach (var name in names)
        {
            StartAgent(name, "env=dev");
        }

        await WaitFor(async () => await ConnectedCount() == names.Length, "the agents connected");

        // One target at a time, each soaking 2 s: the rollout takes ~8 s, long enough to kill the hub in the middle.
        await Apply(Capability("1", "rollout: { maxUnavailable: 1, soakSeconds: 2 }"));
        var files = names.ToDictionary(n => n, n => Path.Combine(_dir, "targets", n, "etc", "hello.txt"));
        var firstWrite = new Dictionary<string, DateTime>();
        void Observe()
        {
            foreach (var (name, file) in files)
            {
                if (!firstWrite.ContainsKey(name) && File.Exists(file))
                {
                    firstWrite[name] = File.GetLastWriteTimeUtc(file);
                }
            }
        }

        await WaitFor(() => { Observe(); return Task.FromResult(firstWrite.Count >= 2); }, "two targets updated");
        await Programs.KillHard(hub);
        StartHub();
        await WaitFor(async () =>
        {
            Observe();
            var (exit, stdout, _) = await Programs.Fleet("--hub", Hub, "get", "rollouts", "hello-1", "-o", "json");
            return exit == 0 && JsonDocument.Parse(stdout).RootElement.GetProperty("phase").GetString() == "Succeeded";
        }, "the rollout finished after the restart");
        Observe();

        var rollout = JsonDocument.Parse((await Programs.Fleet("--hub", Hub, "get", "rollouts", "hello-1", "-o", "json")).Out).RootElement;
        var counts = rollout.GetProperty("counts");
        Assert.Equal((4, 4, 0), (counts.GetProperty("total").GetInt32(), counts.GetProperty("succeeded").GetInt32(), counts.GetProperty("failed").GetInt32()));
        foreach (var (name, file) in files)
        {
            Assert.Equal($"hello {name} v1", File.ReadAllText(file));
            // Written once: an assignment re-issued after the restart found the file already right and left it alone.
            Assert.Equal(firstWrite[name], File.GetLastWriteTimeUtc(file));
        }
    }

    [Fact]
    public async Task Apply_DocumentWithSeveralErrors_ExitsTwoListsEveryErrorWithFileAndLineAndChangesNothing()
    {
        StartHub();
        await WaitFor(async () => (await Programs.Fleet("--hub", Hub, "get", "targets", "-o", "json")).Exit == 0, "the hub answers");
        var bad = Path.Combine(_dir, "bad.yaml");
        await File.WriteAllTextAsync(bad, """
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
            """, TestContext.Current.CancellationToken);

        var (exit, _, err) = await Programs.Fleet("--hub", Hub, "apply", "-f", bad);

        Assert.Equal(2, exit);
        Assert.Contains($"{bad}:4:", err);
        Assert.Contains($"{bad}:9:", err);
        Assert.Contains($"{bad}:10:", err);
        Assert.All(err.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.StartsWith("error:", line));
        var list = JsonDocument.Parse((await Programs.Fleet("--hub", Hub, "get", "capabilities", "-o", "json")).Out).RootElement;
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
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

    private static string Capability(string version, string rollout = "") => HelloCapability.Yaml(version, rollout);

    private Process StartHub()
    {
        var process = Programs.Start(Programs.Hub,
            ["--insecure", "--urls", Hub, "--data-dir", Path.Combine(_dir, "hub"), "--silo-port", Programs.FreePort().ToString(), "--gateway-port", Programs.FreePort().ToString()],
            Path.Combine(_dir, "hub.log"));
        _processes.Add(process);
        return process;
    }

    private void StartAgent(string name, params string[] labels)
    {
        var args = new List<string> { "--hub", Hub, "--insecure", "--name", name, "--driver", "files", "--root", Path.Combine(_dir, "targets", name), "--state-dir", Path.Combine(_dir, "state", name) };
        foreach (var label in labels)
        {
            args.AddRange(["--label", label]);
        }

        _processes.Add(Programs.Start(Programs.Agent, args, Path.Combine(_dir, $"agent-{name}.log")));
    }

    private async Task Apply(string yaml)
    {
        var file = Path.Combine(_dir, $"apply-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, yaml, TestContext.Current.CancellationToken);
        var (exit, stdout, stderr) = await Programs.Fleet("--hub", Hub, "apply", "-f", file);
        Assert.True(exit == 0, $"apply failed ({exit}): {stdout}{stderr}");
    }

    private async Task<int> ConnectedCount()
    {
        var (exit, stdout, _) = await Programs.Fleet("--hub", Hub, "get", "targets", "-o", "json");
        return exit != 0 ? -1 : JsonDocument.Parse(stdout).RootElement.GetProperty("items").EnumerateArray().Count(t => t.GetProperty("connected").GetBoolean());
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

        var logs = string.Join("\n", Directory.EnumerateFiles(_dir, "*.log").Select(f => $"--- {Path.GetFileName(f)}\n{string.Join('\n', File.ReadLines(f).TakeLast(15))}"));
        Assert.Fail($"timed out waiting for: {what}\n{logs}");
    }
}
