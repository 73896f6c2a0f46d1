using System.Globalization;
using System.Text.Json;
using Fleet.Hub.Tests.Postgres;
using Fleet.Hub.Tests.Storage;

namespace Fleet.Hub.Tests.Hosting;

/// <summary>
/// The arguments the deploy files give the hub (Dockerfile.hub's CMD; the hub container of each rendered
/// kustomization, after the kubelet's $(VAR) expansion) start a hub that serves: read from the files
/// themselves, with only what this machine needs changed (every path in the pod lies under a temp
/// directory, the operator CA and the PostgreSQL connection string are the test's own, ports become free
/// ones, and 0.0.0.0 and the pod IP become 127.0.0.1 because tests here listen on loopback only).
/// </summary>
public sealed class DeployArgumentsTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDirectory _directory = new();

    public static TheoryData<string> Sources => ["Dockerfile.hub", "deploy/hub/single-node", "deploy/hub/base", "deploy/hub/operator-tls"];

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task DeployArguments_StartASecureHubThatServes(string source)
    {
        var (args, dataMount) = source.StartsWith("Dockerfile", StringComparison.Ordinal) ? DockerCommand(source) : RenderedArgs(source);
        Assert.DoesNotContain("--insecure", args);
        Assert.Equal(dataMount, args[Array.IndexOf(args, "--data-dir") + 1]);
        using var files = new DeployFiles(_directory.Path)
        {
            // As the PostgreSQL Secret: a database of the private server.
            PostgresConnection = args.Contains("--postgres-file") ? await postgres.CreateDatabaseAsync(TestContext.Current.CancellationToken) : null,
        };
        var port = FreePorts.Take(1)[0];
        var mapped = Loopback(files.Materialize(args), port);
        var data = files.Map(dataMount);
        var trusted = Array.IndexOf(mapped, "--ca-cert") is var ca and >= 0 ? mapped[ca + 1] : Path.Combine(data, "ca.crt");

        await using var hub = HubProcess.Start(mapped);

        await hub.WaitServingAsync(new Uri($"https://127.0.0.1:{port}"), trusted, Path.Combine(data, "admin.token"));
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>The hub's arguments and the data volume of Dockerfile.hub: its exec-form CMD (a JSON array) and VOLUME.</summary>
    private static (string[] Args, string DataMount) DockerCommand(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(Kustomize.RepositoryRoot(), file));
        Assert.Equal(["dotnet", "fleet-hub.dll"], Instruction(lines, "ENTRYPOINT"));
        return (Instruction(lines, "CMD"), Assert.Single(Instruction(lines, "VOLUME")));
    }

    private static string[] Instruction(string[] lines, string name)
    {
        var line = Assert.Single(lines, l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return JsonSerializer.Deserialize<string[]>(line[(name.Length + 1)..])!;
    }

    /// <summary>
    /// The hub container's args as the kubelet runs them, and the volume its --data-dir is.
    /// </summary>
    private static (string[] Args, string DataMount) RenderedArgs(string directory)
    {
        var rendered = Kustomize.Render(directory);
        var hub = RenderedManifests.Container(rendered.Workload("hub"), "hub");
        var args = PodCommandLine.Expand(hub, rendered, new Dictionary<string, string>(StringComparer.Ordinal), "127.0.0.1");
        var dataDirectory = args[Array.IndexOf(args, "--data-dir") + 1];
        var mount = Assert.Single(hub.Items("volumeMounts"), m => m.Text("mountPath") == dataDirectory);
        return (args, mount.Text("mountPath"));
    }

    /// <summary>The listeners on 127.0.0.1: --urls on <paramref name="port"/>, the Orleans and probe ports on free ones.</summary>
    private static string[] Loopback(string[] args, int port)
    {
        var ports = FreePorts.Take(3);
        var mapped = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            mapped.Add(arg);
            if (arg == "--urls")
            {
                var url = new Uri(args[++i]);
                Assert.Equal("https", url.Scheme);
                mapped.Add($"https://{LoopbackHost(url)}:{port.ToString(CultureInfo.InvariantCulture)}");
            }
            else if (arg == "--health-url")
            {
                mapped.Add($"http://{LoopbackHost(new Uri(args[++i]))}:{ports[2].ToString(CultureInfo.InvariantCulture)}");
            }
            else if (arg is "--silo-port" or "--gateway-port")
            {
                i++;
                mapped.Add(ports[arg == "--silo-port" ? 0 : 1].ToString(CultureInfo.InvariantCulture));
            }
        }

        // Without them the hub takes Orleans' defaults (11111, 30000), which other hubs on this machine may hold.
        foreach (var (flag, value) in new[] { ("--silo-port", ports[0]), ("--gateway-port", ports[1]) })
        {
            if (!mapped.Contains(flag))
            {
                mapped.AddRange([flag, value.ToString(CultureInfo.InvariantCulture)]);
            }
        }

        return [.. mapped];
    }

    private static string LoopbackHost(Uri url) => url.Host == "0.0.0.0" ? "127.0.0.1" : url.Host;
}
