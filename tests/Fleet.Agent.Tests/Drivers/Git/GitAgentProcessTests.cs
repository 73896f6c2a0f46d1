using System.Diagnostics;
using System.Text.Json.Nodes;
using Fleet.Agent.Tests.Hosting;
using Fleet.Agent.Tests.Runtime;
using Fleet.Protocol.Agent.V1;
using static Fleet.Agent.Tests.Drivers.Kubernetes.TestManifests;

namespace Fleet.Agent.Tests.Drivers.Git;

/// <summary>
/// The built fleet-agent with <c>--driver git</c> as a real process, connected to a stand-in hub (the real hub's end to end
/// needs it to accept git agents), writing to a bare repository.
/// </summary>
public sealed class GitAgentProcessTests : IDisposable
{
    private readonly BareRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task Agent_DesiredManifests_PushedToThePathAndReportedReadyWithTheCommit()
    {
        var desired = new DesiredSet { Hash = "d1", Capabilities = { Capability("shop", 3, ConfigMap("settings", "a")) } };
        await using var hub = await FakeHub.StartAsync(desired);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
                 {
                     AgentProgramTests.Program, "--hub", hub.Address.ToString(), "--insecure", "--name", "gitops-1", "--driver", "git",
                     "--repo", _repo.Path, "--state-dir", _repo.StateDirectory("agent"), "--resync", "1s",
                 })
        {
            info.ArgumentList.Add(arg);
        }

        using var agent = Process.Start(info)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        agent.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        agent.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        agent.BeginOutputReadLine();
        agent.BeginErrorReadLine();
        try
        {
            await Eventually.Holds(
                () => Task.FromResult(hub.Reports.Any(r => r.Key == "shop" && r.State == ResourceState.Ready)),
                "shop reported Ready",
                diagnostics: () => string.Join('\n', output));

            // The default path is the target's name; the default branch main.
            Assert.Equal(["gitops-1/shop/settings.yaml"], _repo.Files());
            Assert.Equal("fleet-agent: shop revision 3", _repo.Log("%s"));
            var ready = hub.Reports.First(r => r.Key == "shop" && r.State == ResourceState.Ready);
            Assert.Equal(_repo.Head(), JsonNode.Parse(ready.Resources[0].ObservedJson)!["commit"]!.GetValue<string>());

            // Someone edits the file on the branch: the next resync (every second here) puts it back in a commit of its own.
            var written = _repo.Show("gitops-1/shop/settings.yaml");
            _repo.PushEdit("by hand", ("gitops-1/shop/settings.yaml", "edited by hand\n"));
            await Eventually.Holds(
                () => Task.FromResult(_repo.Show("gitops-1/shop/settings.yaml") == written),
                "the hand edit reverted",
                diagnostics: () => string.Join('\n', output));
            Assert.Equal((3, "fleet-agent"), (_repo.Commits(), _repo.Log("%an")));
        }
        finally
        {
            agent.Kill(entireProcessTree: true);
            await agent.WaitForExitAsync(CancellationToken.None);
        }
    }
}
