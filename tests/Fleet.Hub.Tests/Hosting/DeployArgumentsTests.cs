using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Fleet.Hub.Tests.Storage;
using YamlDotNet.RepresentationModel;

namespace Fleet.Hub.Tests.Hosting;

/// <summary>
/// The arguments the deploy files give the hub (Dockerfile.hub's CMD, the StatefulSet's container
/// args) start a hub that serves: read from the files themselves, with only what this machine needs
/// changed (the data volume becomes a temp directory, ports become free ones, and 0.0.0.0 becomes
/// 127.0.0.1 because tests here listen on loopback only).
/// </summary>
public sealed partial class DeployArgumentsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public static TheoryData<string> Sources => ["Dockerfile.hub", "deploy/hub/20-statefulset.yaml"];

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task DeployArguments_StartASecureHubThatServes(string source)
    {
        var (args, dataMount) = source.StartsWith("Dockerfile", StringComparison.Ordinal) ? DockerCommand(source) : StatefulSetArgs(source);
        Assert.DoesNotContain("--insecure", args);
        var data = Path.Combine(_directory.Path, "data");
        var port = FreePorts.Take(1)[0];
        var mapped = Map(args, dataMount, data, port);

        await using var hub = HubProcess.Start(mapped);

        await hub.WaitServingAsync(new Uri($"https://127.0.0.1:{port}"), Path.Combine(data, "ca.crt"), Path.Combine(data, "admin.token"));
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>The hub's arguments and the data volume of Dockerfile.hub: its exec-form CMD (a JSON array) and VOLUME.</summary>
    private static (string[] Args, string DataMount) DockerCommand(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), file));
        Assert.Equal(["dotnet", "fleet-hub.dll"], Instruction(lines, "ENTRYPOINT"));
        return (Instruction(lines, "CMD"), Assert.Single(Instruction(lines, "VOLUME")));
    }

    private static string[] Instruction(string[] lines, string name)
    {
        var line = Assert.Single(lines, l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return JsonSerializer.Deserialize<string[]>(line[(name.Length + 1)..])!;
    }

    /// <summary>The hub container's args in the StatefulSet, and where its data volume is mounted.</summary>
    private static (string[] Args, string DataMount) StatefulSetArgs(string file)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(RepositoryRoot(), file)))
        {
            yaml.Load(reader);
        }

        var statefulSet = Assert.Single(yaml.Documents.Select(d => (YamlMappingNode)d.RootNode), d => Scalar(d, "kind") == "StatefulSet");
        var pod = Map(Map(Map(statefulSet, "spec"), "template"), "spec");
        var hub = Assert.Single(((YamlSequenceNode)pod.Children["containers"]).Cast<YamlMappingNode>(), c => Scalar(c, "name") == "hub");
        var args = ((YamlSequenceNode)hub.Children["args"]).Select(a => ((YamlScalarNode)a).Value!).ToArray();
        var claimTemplate = Assert.Single(((YamlSequenceNode)Map(statefulSet, "spec").Children["volumeClaimTemplates"]).Cast<YamlMappingNode>());
        var claim = Scalar(Map(claimTemplate, "metadata"), "name");
        var mount = Assert.Single(((YamlSequenceNode)hub.Children["volumeMounts"]).Cast<YamlMappingNode>(), m => Scalar(m, "name") == claim);
        return (args, Scalar(mount, "mountPath"));
    }

    /// <summary>The container's data path becomes <paramref name="data"/>, its ports free loopback ones.</summary>
    private static string[] Map(string[] args, string dataMount, string data, int port)
    {
        var ports = FreePorts.Take(2);
        var mapped = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            mapped.Add(arg.StartsWith(dataMount, StringComparison.Ordinal) ? data + arg[dataMount.Length..] : arg);
            if (arg == "--urls")
            {
                var url = new Uri(args[++i]);
                Assert.Equal("https", url.Scheme);
                mapped.Add($"https://{(url.Host == "0.0.0.0" ? "127.0.0.1" : url.Host)}:{port.ToString(CultureInfo.InvariantCulture)}");
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

        Assert.DoesNotMatch(KubernetesVariable(), string.Join(' ', mapped));
        return [.. mapped];
    }

    private static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[key];

    private static string Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) && value is YamlScalarNode scalar ? scalar.Value ?? "" : "";

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Fleet.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Fleet.sln above {AppContext.BaseDirectory}");
    }

    // $(VAR) in args is expanded by the kubelet; a test that passed it through literally would test nothing.
    [GeneratedRegex(@"\$\([A-Z_]+\)")]
    private static partial Regex KubernetesVariable();
}
