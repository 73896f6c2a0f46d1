using System.Diagnostics;
using Fleet.Agent.Drivers.Git;
using Fleet.Agent.Hosting;
using Fleet.Agent.Runtime;
using Fleet.Domain.Rendering;
using Fleet.Protocol.Admin.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fleet.Hub.Tests.Integration;

/// <summary>
/// A GitOps destination end to end (SPEC §9): a hub and an agent with <c>--driver git</c> in front of a real bare
/// repository. The hub places manifests on it as on a Kubernetes target, the agent commits them under its path, and
/// the hub sees it Ready once pushed.
/// </summary>
public sealed class GitTargetTests
{
    private const string Capability = """
        apiVersion: fleet/v1alpha1
        kind: Capability
        metadata:
          name: web
        spec:
          version: "1"
          placement:
            selector:
              matchLabels: { env: dev }
          resources:
            - id: web
              manifest: { apiVersion: v1, kind: ConfigMap, metadata: { name: web, namespace: apps }, data: { greeting: "hello ${target.name}" } }
        """;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Apply_ToAGitTarget_CommitsTheManifestUnderItsPathAndTheTargetIsReady()
    {
        await using var fleet = await FleetHarness.StartAsync();
        var repository = Path.Combine(fleet.Root, "fleet.git");
        Git(fleet.Root, "init", "-q", "--bare", "-b", "main", repository);
        var options = new AgentOptions
        {
            Hubs = [fleet.HubUrl],
            Name = "argo-eu",
            Labels = new Dictionary<string, string> { ["env"] = "dev" },
            Driver = DriverNames.Git,
            StateDirectory = Path.Combine(fleet.Root, "agents", "argo-eu"),
            Insecure = true,
            Git = new GitOptions(repository, "main", "clusters/eu"),
        };
        await using var agent = new AgentHandle(options, new AgentRuntime(options, NullLoggerFactory.Instance));
        await fleet.WaitForConnectedAsync(1);

        await fleet.ApplyAsync(Capability);

        await Eventually.Holds(
            async () => (await fleet.TargetAsync("argo-eu")).Capabilities.TryGetValue("web", out var web) && web.State == TargetCapabilityState.Ready,
            "argo-eu reports web Ready",
            diagnostics: () => $"branch main at {Head(repository) ?? "(none)"}");
        var files = Git(repository, "ls-tree", "-r", "--name-only", "main").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var file = Assert.Single(files);
        Assert.StartsWith("clusters/eu/web/", file, StringComparison.Ordinal);
        Assert.Contains("hello argo-eu", Git(repository, "show", $"main:{file}"), StringComparison.Ordinal);
        Assert.Equal("fleet-agent", Git(repository, "log", "-1", "--format=%an", "main").Trim());
    }

    private static string? Head(string repository)
    {
        try
        {
            return Git(repository, "rev-parse", "main").Trim();
        }
        catch (InvalidOperationException)
        {
            // The branch does not exist before the first push.
            return null;
        }
    }

    private static string Git(string directory, params string[] args)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        info.Environment["HOME"] = directory;
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"git {string.Join(' ', args)}: {error}");
    }
}
