using Fleet.Protocol.Admin;
using Fleet.Agent.Hosting;
using Fleet.Agent.Runtime;
using Fleet.Cli.Commands;
using Fleet.Cli.Connection;
using Fleet.Cli.Output;
using Fleet.Hub.Hosting;
using Fleet.Protocol.Admin.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;

namespace Fleet.Cli.Demo;

/// <summary>
/// <c>fleet demo</c>: a whole fleet on this machine — an embedded hub and files-driver agents on free
/// loopback ports, targets under a temporary directory — then a rollout of examples/motd.yaml and a
/// patch rolled out on top, each checked on disk, not only through the hub's word.
/// </summary>
internal sealed class DemoRunner(CliConsole console, DemoOptions options)
{
    private static readonly string[] Regions = ["eu", "us", "ap"];

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var ownsDirectory = options.Directory is null;
        var root = options.Directory is null
            ? Directory.CreateTempSubdirectory("fleet-demo-").FullName
            : Path.GetFullPath(options.Directory);
        Directory.CreateDirectory(root);
        var port = FreePort.Next();
        var hubUrl = new Uri($"http://127.0.0.1:{port}");
        var dashboardUrl = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        console.Screen.MarkupLine($"[bold]Fleet demo[/]: an embedded hub on {hubUrl} (plaintext, --insecure: local only) and {options.Agents} files-driver agents under {Markup.Escape(root)}");

        var hub = HubHost.Build(
            new HubOptions
            {
                Urls = hubUrl.ToString().TrimEnd('/'),
                DataDirectory = Path.Combine(root, "hub"),
                SiloPort = FreePort.Next(),
                GatewayPort = FreePort.Next(),
                Insecure = true,
                DashboardUrl = dashboardUrl.ToString().TrimEnd('/'),
            },
            logging => logging.ClearProviders());
        using var stopAgents = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var agents = new List<Task>();
        try
        {
            await hub.StartAsync(cancellationToken);
            // Printed first, plain and alone on its line: a newcomer opens it and watches the rollouts that follow.
            console.Out.WriteLine($"dashboard: {dashboardUrl}");
            var names = Enumerable.Range(1, options.Agents).Select(i => $"target-{i}").ToList();
            foreach (var (name, i) in names.Select((n, i) => (n, i)))
            {
                var agent = new AgentRuntime(
                    new AgentOptions
                    {
                        Hubs = [hubUrl],
                        Name = name,
                        Labels = new Dictionary<string, string> { ["env"] = "demo", ["region"] = Regions[i % Regions.Length], ["ring"] = i == 0 ? "canary" : "main" },
                        Driver = "files",
                        Root = TargetRoot(root, name),
                        StateDirectory = Path.Combine(root, "agents", name),
                        Insecure = true,
                    },
                    NullLoggerFactory.Instance);
                agents.Add(agent.RunAsync(stopAgents.Token));
            }

            using var client = new HubClient(hubUrl);
            await console.Screen.Status().StartAsync("waiting for the agents to connect", async _ =>
            {
                while ((await client.Admin.ListTargetsAsync(new ListRequest(), deadline: client.Deadline, cancellationToken: cancellationToken))
                       .Items.Count(t => t.Connected) < options.Agents)
                {
                    await Task.Delay(100, cancellationToken);
                }
            });
            console.Screen.MarkupLine($"[green]✓[/] {options.Agents} targets connected");

            if (!await ApplyAndRoll(client, "motd.yaml", "1.0.0", cancellationToken)
                || !await ApplyAndRoll(client, "motd-patched.yaml", "1.1.0", cancellationToken))
            {
                return CliAction.Failed;
            }

            var targets = await client.Admin.ListTargetsAsync(new ListRequest(), deadline: client.Deadline, cancellationToken: cancellationToken);
            console.Screen.Write(Tables.Targets(targets.Items));
            var sample = Path.Combine(TargetRoot(root, names[0]), "etc", "motd");
            console.Screen.MarkupLine($"\n{Markup.Escape(sample)}:");
            console.Out.WriteLine(await File.ReadAllTextAsync(sample, cancellationToken));

            if (options.Keep)
            {
                console.Screen.MarkupLine("[bold]The fleet keeps running[/] (Ctrl+C to stop). Point the CLI at it:");
                console.Out.WriteLine($"  open {dashboardUrl} in a browser: the targets and both rollouts");
                console.Out.WriteLine($"  export FLEET_HUB={hubUrl.ToString().TrimEnd('/')}");
                console.Out.WriteLine("  dotnet run --project src/Fleet.Cli -- get targets");
                console.Out.WriteLine("  dotnet run --project src/Fleet.Cli -- describe capability motd");
                console.Out.WriteLine($"  targets' files are under {Path.Combine(root, "targets")}");
                await Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }

            console.Screen.MarkupLine("[green]✓[/] demo complete: every target runs the patched revision");
            return CliAction.Ok;
        }
        finally
        {
            await stopAgents.CancelAsync();
            await Task.WhenAll(agents).ContinueWith(_ => { }, TaskScheduler.Default);
            await hub.StopAsync(CancellationToken.None);
            await hub.DisposeAsync();
            if (ownsDirectory && !options.Keep)
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static string TargetRoot(string root, string name) => Path.Combine(root, "targets", name);

    /// <summary>Applies an example, follows the rollout it starts and checks that it succeeded.</summary>
    private async Task<bool> ApplyAndRoll(HubClient client, string example, string version, CancellationToken cancellationToken)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "examples", example);
        var document = ApplyCommand.Parse([(path, await File.ReadAllTextAsync(path, cancellationToken))]).Single();
        if (!document.IsValid)
        {
            return CliAction.Error(console, $"{example} is invalid: {string.Join("; ", document.Errors)}", CliAction.Failed) == 0;
        }

        var response = await client.Admin.ApplyAsync(
            new ApplyRequest { Source = path, Yaml = document.Text, FirstLine = document.Line },
            deadline: client.Deadline,
            cancellationToken: cancellationToken);
        console.Screen.MarkupLine($"\n[bold]fleet apply -f examples/{example}[/] → capability/{response.Name} revision {response.Revision} {response.Outcome} (version {version})");
        if (string.IsNullOrEmpty(response.RolloutId))
        {
            return CliAction.Error(console, "the apply started no rollout", CliAction.Failed) == 0;
        }

        var rollout = await RolloutWatcher.WatchAsync(console, client, response.RolloutId, cancellationToken);
        RolloutWatcher.PrintSummary(console, rollout);
        if (rollout.Phase != RolloutPhase.Succeeded)
        {
            return CliAction.Error(console, $"rollout {rollout.Id} ended {StateNames.Of(rollout.Phase)}: {rollout.Message}", CliAction.Failed) == 0;
        }

        return true;
    }
}
