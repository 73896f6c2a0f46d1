using System.Text.Json;

namespace Fleet.Cli.Tests.EndToEnd;

/// <summary>A hub and agents as separate processes (the CLI in process): a hub SIGKILLed and restarted loses nothing it acknowledged.</summary>
public sealed class HubProcessTests : IAsyncDisposable
{
    private readonly LocalFleet _fleet = new("fleet-e2e-");

    [Fact]
    public async Task KillHub_RestartOnSameData_KeepsRevisionsAgentsReconnectAndNextApplyWorks()
    {
        var hub = _fleet.StartHub();
        await _fleet.WaitFor(_fleet.HubAnswers, "the hub answers");
        _fleet.StartAgent("a1", "env=dev", "region=eu");
        await _fleet.WaitFor(async () => await _fleet.ConnectedTargets() == 1, "the agent connected");

        await _fleet.Apply(Capability("1"));
        await _fleet.Apply(Capability("2"));
        var file = _fleet.TargetFile("a1", "etc/hello.txt");
        await _fleet.WaitFor(() => File.Exists(file) && File.ReadAllText(file) == "hello a1 v2", "revision 2 on disk");

        await Programs.KillHard(hub);
        _fleet.StartHub();
        await _fleet.WaitFor(async () => (await _fleet.Cli("get", "capabilities", "hello", "-o", "json")).Exit == 0, "the restarted hub answers");

        var capability = JsonDocument.Parse((await _fleet.Cli("get", "capabilities", "hello", "-o", "json")).Out).RootElement;
        Assert.Equal(2, capability.GetProperty("revision").GetInt64());
        await _fleet.WaitFor(async () => await _fleet.ConnectedTargets() == 1, "the agent reconnected by itself");
        await _fleet.Apply(Capability("3"));
        await _fleet.WaitFor(() => File.ReadAllText(file) == "hello a1 v3", "revision 3 applied after the restart");
    }

    [Fact]
    public async Task KillHub_MidRollout_ResumesAndEveryTargetAppliesTheRevisionExactlyOnce()
    {
        var hub = _fleet.StartHub();
        await _fleet.WaitFor(_fleet.HubAnswers, "the hub answers");
        var names = new[] { "a1", "a2", "a3", "a4" };
        foreach (var name in names)
        {
            _fleet.StartAgent(name, "env=dev");
        }

        await _fleet.WaitFor(async () => await _fleet.ConnectedTargets() == names.Length, "the agents connected");

        // One target at a time, each soaking 2 s: the rollout takes ~8 s, long enough to kill the hub in the middle.
        await _fleet.Apply(Capability("1", "rollout: { maxUnavailable: 1, soakSeconds: 2 }"));
        var files = names.ToDictionary(n => n, n => _fleet.TargetFile(n, "etc/hello.txt"));
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

        await _fleet.WaitFor(() => { Observe(); return firstWrite.Count >= 2; }, "two targets updated");
        await Programs.KillHard(hub);
        _fleet.StartHub();
        await _fleet.WaitFor(async () =>
        {
            Observe();
            var (exit, stdout, _) = await _fleet.Cli("get", "rollouts", "hello-1", "-o", "json");
            return exit == 0 && JsonDocument.Parse(stdout).RootElement.GetProperty("phase").GetString() == "Succeeded";
        }, "the rollout finished after the restart");
        Observe();

        var rollout = JsonDocument.Parse((await _fleet.Cli("get", "rollouts", "hello-1", "-o", "json")).Out).RootElement;
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
        _fleet.StartHub();
        await _fleet.WaitFor(_fleet.HubAnswers, "the hub answers");
        var bad = await _fleet.Write("bad.yaml", """
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
            """);

        var (exit, _, err) = await _fleet.Cli("apply", "-f", bad);

        Assert.Equal(2, exit);
        Assert.Contains($"{bad}:4:", err);
        Assert.Contains($"{bad}:9:", err);
        Assert.Contains($"{bad}:10:", err);
        Assert.All(err.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.StartsWith("error:", line));
        var list = JsonDocument.Parse((await _fleet.Cli("get", "capabilities", "-o", "json")).Out).RootElement;
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }

    public ValueTask DisposeAsync() => _fleet.DisposeAsync();

    private static string Capability(string version, string rollout = "") => HelloCapability.Yaml(version, rollout);
}
