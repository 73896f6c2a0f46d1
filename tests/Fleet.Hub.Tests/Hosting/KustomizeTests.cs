using System.Globalization;
using Fleet.Agent.Hosting;
using Fleet.Hub.Hosting;
using Fleet.Hub.Tests.Storage;
using YamlDotNet.RepresentationModel;

namespace Fleet.Hub.Tests.Hosting;

/// <summary>
/// Every kustomization in deploy/, rendered with <c>kubectl kustomize</c> as <c>kubectl apply -k</c> would send
/// it, checked against the programs: the hub's and the agent's arguments are accepted by their real parsers
/// (after the kubelet's $(VAR) expansion, with stand-ins for the Secrets), container ports are the ports of
/// those flags, probes are /healthz and /readyz on the --health-url port, the pods run unprivileged as the
/// images' user, and nothing runs in plaintext mode.
/// </summary>
public sealed class KustomizeTests : IDisposable
{
    /// <summary>The .NET images' unprivileged `app` user ($APP_UID), which Dockerfile.hub and Dockerfile.agent run as.</summary>
    private const string AppUser = "1654";

    private const string PodIp = "10.244.1.7";

    /// <summary>What the operator puts in the Secrets the manifests read through env (deploy/README.md): none today.</summary>
    private static readonly Dictionary<string, string> Secrets = new(StringComparer.Ordinal);

    private static readonly string[] FileFlags = ["--ca-cert", "--ca-key", "--tls-cert", "--tls-key", "--ca", "--token-file", "--kubeconfig", "--postgres-file"];

    private readonly TempDirectory _directory = new();
    private readonly DeployFiles _files;

    public KustomizeTests() => _files = new DeployFiles(_directory.Path)
    {
        // What the fleet-hub-postgres Secret holds (deploy/README.md); only parsed here, never connected to.
        PostgresConnection = "Host=postgres.fleet-system.svc;Username=fleet;Password=s3cret;Database=fleet",
    };

    public static TheoryData<string> Kustomizations => new(Kustomize.Directories());

    public static TheoryData<string> Hubs => new(HubDirectories);

    public static TheoryData<string> Agents => new(AgentDirectories);

    public static TheoryData<string> Workloads => new(HubDirectories.Concat(AgentDirectories));

    private static string[] HubDirectories => ["deploy/hub/base", "deploy/hub/operator-tls", "deploy/hub/single-node"];

    private static string[] AgentDirectories => ["deploy/agent/base", "deploy/agent/namespaced"];

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Render_EveryKustomization_ParsesIntoNamedDocumentsWithoutInsecure(string directory)
    {
        var rendered = Kustomize.Render(directory);

        Assert.NotEmpty(rendered.Documents);
        Assert.All(rendered.Documents, document =>
        {
            Assert.NotEqual("", document.Text("apiVersion"));
            Assert.NotEqual("", document.Text("kind"));
            Assert.NotEqual("", document.Map("metadata").Text("name"));
        });
        Assert.DoesNotContain("--insecure", rendered.Text, StringComparison.Ordinal);
        // Fleet's own pods run where the restricted Pod Security Standard is enforced (an application's namespace, as in
        // deploy/agent/namespaced, is its owner's business).
        Assert.All(
            rendered.OfKind("Namespace").Where(ns => ns.Map("metadata").MapOrNull("labels").Strings().GetValueOrDefault("app.kubernetes.io/part-of") == "fleet"),
            ns => Assert.Equal("restricted", ns.Map("metadata").MapOrNull("labels").Strings().GetValueOrDefault("pod-security.kubernetes.io/enforce")));
        Assert.All(rendered.Workloads, workload => Assert.Contains(
            rendered.OfKind("Namespace"),
            ns => ns.Map("metadata").Text("name") == workload.Map("metadata").Text("namespace") && ns.Map("metadata").MapOrNull("labels").Strings().GetValueOrDefault("pod-security.kubernetes.io/enforce") == "restricted"));
    }

    [Fact]
    public void Render_EveryKustomizationThatRunsAProgram_IsCheckedHere()
    {
        var withWorkloads = Kustomize.Directories().Where(d => Kustomize.Render(d).Workloads.Any()).Order(StringComparer.Ordinal);

        Assert.Equal(HubDirectories.Concat(AgentDirectories).Order(StringComparer.Ordinal), withWorkloads);
    }

    [Fact]
    public void DeployFiles_NoneMentionsInsecure()
    {
        var files = Directory.EnumerateFiles(Path.Combine(Kustomize.RepositoryRoot(), Kustomize.DeployDirectory), "*", SearchOption.AllDirectories).ToList();

        Assert.NotEmpty(files);
        Assert.All(files, file => Assert.DoesNotContain("--insecure", File.ReadAllText(file), StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Hubs))]
    public void Hub_Arguments_AreAcceptedByFleetHub(string directory)
    {
        var options = ParseHub(Kustomize.Render(directory));

        Assert.False(options.Insecure);
        Assert.All(Urls(options), url => Assert.Equal("https", url.Scheme));
    }

    [Theory]
    [MemberData(nameof(Hubs))]
    public void Hub_ContainerPorts_AreThePortsOfItsFlags(string directory)
    {
        var rendered = Kustomize.Render(directory);
        var options = ParseHub(rendered);
        var hub = RenderedManifests.Container(rendered.Workload("hub"), "hub");

        var expected = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["grpc"] = Assert.Single(Urls(options)).Port,
            ["silo"] = options.SiloPort,
            ["gateway"] = options.GatewayPort,
            ["health"] = new Uri(Assert.IsType<string>(options.HealthUrl)).Port,
        };
        Assert.Equal(expected, ContainerPorts(hub));
    }

    [Theory]
    [MemberData(nameof(Hubs))]
    public void Hub_Probes_AreHealthzAndReadyzOnTheHealthUrlPort(string directory)
    {
        var rendered = Kustomize.Render(directory);
        var health = new Uri(Assert.IsType<string>(ParseHub(rendered).HealthUrl)).Port;
        var hub = RenderedManifests.Container(rendered.Workload("hub"), "hub");

        foreach (var (probe, path) in new[] { ("livenessProbe", "/healthz"), ("readinessProbe", "/readyz"), ("startupProbe", "/healthz") })
        {
            var get = hub.Map(probe).Map("httpGet");
            Assert.Equal(path, get.Text("path"));
            Assert.True(get.Text("scheme") is "" or "HTTP", $"{probe} is not plain HTTP, as --health-url serves");
            Assert.Equal(health, ResolvePort(hub, get.Text("port")));
        }
    }

    [Theory]
    [MemberData(nameof(Hubs))]
    public void Hub_Services_SelectTheHubPodsOnItsPorts(string directory)
    {
        var rendered = Kustomize.Render(directory);
        var workload = rendered.Workload("hub");
        var hub = RenderedManifests.Container(workload, "hub");
        var services = rendered.OfKind("Service").ToList();

        Assert.Contains(services, s => s.Map("metadata").Text("name") == "fleet-hub" && s.Map("spec").Items("ports").Any(p => p.Text("port") == "7400" && ResolvePort(hub, p.Text("targetPort")) == 7400));
        Assert.All(services, service =>
        {
            Assert.Equal(workload.Map("metadata").Text("namespace"), service.Map("metadata").Text("namespace"));
            AssertSelects(service.Map("spec").MapOrNull("selector").Strings(), workload);
            Assert.All(service.Map("spec").Items("ports"), port => Assert.True(ResolvePort(hub, port.Text("targetPort")) > 0, $"{service.Describe()} targets port {port.Text("targetPort")}, which the hub container does not have"));
        });
    }

    [Fact]
    public void HubBase_IsThreeNodesOfOneClusterOnPostgresWithOneCa()
    {
        var rendered = Kustomize.Render("deploy/hub/base");
        var workload = rendered.Workload("hub");
        var hub = RenderedManifests.Container(workload, "hub");
        var args = hub.Strings("args");
        var options = ParseHub(rendered);

        Assert.Equal("Deployment", workload.Text("kind"));
        Assert.Equal("3", workload.Map("spec").Text("replicas"));
        Assert.Equal(HubOptions.PostgresStorage, options.Storage);
        Assert.Equal(HubOptions.DefaultClusterId, options.ClusterIdFlag);
        Assert.NotNull(options.CaCertificate);
        Assert.NotNull(options.CaKey);

        // The connection string from a Secret, as an owner-only file (not in the process list); the advertised address
        // from the downward API: neither written into the manifest.
        Assert.DoesNotContain("--postgres", args);
        var connectionFile = ValueOf(args, "--postgres-file");
        var mount = Assert.Single(hub.Items("volumeMounts"), m => connectionFile.StartsWith(m.Text("mountPath") + "/", StringComparison.Ordinal));
        var copy = Assert.Single(workload.Map("spec").Map("template").Map("spec").Items("initContainers"));
        Assert.Contains(copy.Items("volumeMounts"), m => m.Text("name") == mount.Text("name") && m.Text("mountPath") == mount.Text("mountPath"));
        Assert.Contains("*.conn) mode=0600", string.Join(' ', copy.Strings("command")), StringComparison.Ordinal);
        var sources = workload.Map("spec").Map("template").Map("spec").Items("volumes")
            .SelectMany(v => v.MapOrNull("projected")?.Items("sources") ?? []);
        var secret = Assert.Single(sources, s => s.MapOrNull("secret")?.Text("name") == "fleet-hub-postgres").Map("secret");
        Assert.Equal(Path.GetFileName(connectionFile), Assert.Single(secret.Items("items")).Text("path"));
        var advertise = PodCommandLine.Variable(hub, Assert.IsType<string>(PodCommandLine.WholeReference(ValueOf(args, "--advertise"))));
        Assert.Equal("status.podIP", advertise.Map("valueFrom").Map("fieldRef").Text("fieldPath"));
        Assert.Equal(PodIp, options.Advertise);
    }

    [Fact]
    public void HubBase_DisruptionBudgetAndRollout_TakeOneNodeAtATime()
    {
        var rendered = Kustomize.Render("deploy/hub/base");
        var workload = rendered.Workload("hub");

        var budget = Assert.Single(rendered.OfKind("PodDisruptionBudget"));
        Assert.Equal(workload.Map("metadata").Text("namespace"), budget.Map("metadata").Text("namespace"));
        AssertSelects(budget.Map("spec").Map("selector").MapOrNull("matchLabels").Strings(), workload);
        Assert.Equal("1", budget.Map("spec").Text("maxUnavailable"));

        var rolling = workload.Map("spec").Map("strategy").Map("rollingUpdate");
        Assert.Equal("0", rolling.Text("maxUnavailable"));
        Assert.Equal("1", rolling.Text("maxSurge"));
    }

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Workload_Images_AreTheFleetImageOfItsProgramWithItsEntrypoint(string directory)
    {
        var rendered = Kustomize.Render(directory);
        var program = HubDirectories.Contains(directory) ? "fleet-hub" : "fleet-agent";
        var workload = rendered.Workload(program == "fleet-hub" ? "hub" : "agent");
        var main = RenderedManifests.Container(workload, program == "fleet-hub" ? "hub" : "agent");

        var image = main.Text("image");
        var tag = image.LastIndexOf(':') is var colon and > 0 && !image[colon..].Contains('/', StringComparison.Ordinal) ? image[(colon + 1)..] : "";
        Assert.Equal(program, image[..^(tag.Length + 1)].Split('/')[^1]);
        Assert.NotEqual("", tag);
        Assert.NotEqual("latest", tag);
        // No command: the image's ENTRYPOINT runs the program, and the args are its flags.
        Assert.Empty(main.Strings("command"));
        Assert.Equal(["dotnet", $"{program}.dll"], DockerfileEntrypoint(program == "fleet-hub" ? "Dockerfile.hub" : "Dockerfile.agent"));
        // Helpers run the same image, so one image setting (kustomization's images) moves them all.
        Assert.All(RenderedManifests.AllContainers(workload), c => Assert.Equal(image, c.Text("image")));
    }

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Workload_SecurityContext_IsNonRootAsTheImagesUser(string directory)
    {
        var workload = Assert.Single(Kustomize.Render(directory).Workloads);
        var pod = RenderedManifests.PodSpec(workload).Map("securityContext");

        Assert.Equal("true", pod.Text("runAsNonRoot"));
        Assert.Equal(AppUser, pod.Text("runAsUser"));
        Assert.Equal(AppUser, pod.Text("runAsGroup"));
        Assert.Equal("RuntimeDefault", pod.Map("seccompProfile").Text("type"));
        Assert.All(RenderedManifests.AllContainers(workload), container =>
        {
            var own = container.Map("securityContext");
            Assert.Equal("false", own.Text("allowPrivilegeEscalation"));
            Assert.Equal("true", own.Text("readOnlyRootFilesystem"));
            Assert.Equal(["ALL"], own.Map("capabilities").Strings("drop"));
            Assert.True(own.Text("privileged") is "" or "false");
            Assert.True(own.Text("runAsUser") is "" or AppUser);
            Assert.NotNull(container.MapOrNull("resources")?.MapOrNull("limits"));
        });
    }

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Workload_FileArguments_ComeFromMountedSecrets(string directory)
    {
        var workload = Assert.Single(Kustomize.Render(directory).Workloads);
        var pod = RenderedManifests.PodSpec(workload);
        var checkedFiles = 0;
        foreach (var container in pod.Items("containers"))
        {
            var args = container.Strings("args");
            for (var i = 0; i + 1 < args.Length; i++)
            {
                if (FileFlags.Contains(args[i], StringComparer.Ordinal))
                {
                    AssertFromSecret(pod, container, args[i], args[i + 1]);
                    checkedFiles++;
                }
            }
        }

        Assert.True(checkedFiles > 0 || directory == "deploy/hub/single-node", "no file argument was checked");
    }

    [Theory]
    [MemberData(nameof(Agents))]
    public void Agent_Arguments_AreAcceptedByFleetAgent_WithTheTokenFromAFile(string directory)
    {
        var rendered = Kustomize.Render(directory);
        var agent = RenderedManifests.Container(rendered.Workload("agent"), "agent");
        var args = _files.Materialize(PodCommandLine.Expand(agent, rendered, Secrets, PodIp));

        var (options, errors, _) = AgentCommandLine.Parse(args);

        Assert.True(errors.Count == 0, string.Join('\n', errors));
        Assert.NotNull(options);
        Assert.False(options.Insecure);
        Assert.Equal("kubernetes", options.Driver);
        Assert.All(options.Hubs, hub => Assert.Equal("https", hub.Scheme));
        // The token is read from the mounted Secret, never passed where the process list shows it.
        Assert.Contains("--token-file", args);
        Assert.DoesNotContain("--token", args);
        Assert.Equal(DeployFiles.EnrollmentToken, options.Token?.Value);
    }

    [Theory]
    [InlineData("deploy/agent/base", true)]
    [InlineData("deploy/agent/namespaced", false)]
    public void Agent_ServiceAccount_IsBoundToARoleOfTheRender(string directory, bool clusterWide)
    {
        var rendered = Kustomize.Render(directory);
        var workload = rendered.Workload("agent");
        var account = RenderedManifests.PodSpec(workload).Text("serviceAccountName");
        var ns = workload.Map("metadata").Text("namespace");
        rendered.Single("ServiceAccount", account);

        var bindings = rendered.OfKind("RoleBinding").Concat(rendered.OfKind("ClusterRoleBinding"))
            .Where(b => b.Items("subjects").Any(s => s.Text("kind") == "ServiceAccount" && s.Text("name") == account && s.Text("namespace") == ns))
            .ToList();

        Assert.NotEmpty(bindings);
        Assert.Equal(clusterWide, bindings.Any(b => b.Text("kind") == "ClusterRoleBinding"));
        Assert.All(bindings, binding =>
        {
            var role = binding.Map("roleRef");
            Assert.Contains(rendered.OfKind(role.Text("kind")), r => r.Map("metadata").Text("name") == role.Text("name")
                && (role.Text("kind") == "ClusterRole" || r.Map("metadata").Text("namespace") == binding.Map("metadata").Text("namespace")));
        });
    }

    public void Dispose()
    {
        _files.Dispose();
        _directory.Dispose();
    }

    private HubOptions ParseHub(RenderedManifests rendered)
    {
        var hub = RenderedManifests.Container(rendered.Workload("hub"), "hub");
        var result = HubCommandLine.Parse(_files.Materialize(PodCommandLine.Expand(hub, rendered, Secrets, PodIp)));

        Assert.True(result.Errors.Count == 0, $"{rendered.Directory}: {string.Join('\n', result.Errors)}");
        return Assert.IsType<HubOptions>(result.Options);
    }

    private static Uri[] Urls(HubOptions options) =>
        [.. options.EffectiveUrls.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(url => new Uri(url))];

    private static string ValueOf(string[] args, string flag) => args[Array.IndexOf(args, flag) + 1];

    private static Dictionary<string, int> ContainerPorts(YamlMappingNode container) =>
        container.Items("ports").ToDictionary(p => p.Text("name"), p => int.Parse(p.Text("containerPort"), CultureInfo.InvariantCulture), StringComparer.Ordinal);

    /// <summary>A probe's or Service's port (a number or a container port's name) as the number it reaches; 0 when none.</summary>
    private static int ResolvePort(YamlMappingNode container, string port) =>
        int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? (ContainerPorts(container).ContainsValue(number) ? number : 0)
            : ContainerPorts(container).GetValueOrDefault(port);

    private static void AssertSelects(IReadOnlyDictionary<string, string> selector, YamlMappingNode workload)
    {
        var labels = RenderedManifests.PodLabels(workload);
        Assert.NotEmpty(selector);
        Assert.All(selector, pair => Assert.Equal(pair.Value, labels.GetValueOrDefault(pair.Key)));
    }

    /// <summary>
    /// The file lies in a volume of a Secret that has it, or in a memory-backed emptyDir that an init container
    /// fills from such a Secret (the hub's operator CA, copied owner-only).
    /// </summary>
    private static void AssertFromSecret(YamlMappingNode pod, YamlMappingNode container, string flag, string path)
    {
        var mount = container.Items("volumeMounts")
            .Where(m => path.StartsWith(m.Text("mountPath").TrimEnd('/') + "/", StringComparison.Ordinal))
            .MaxBy(m => m.Text("mountPath").Length);
        Assert.True(mount is not null, $"{flag} {path} is on no volume of container {container.Text("name")}");
        var relative = path[(mount.Text("mountPath").TrimEnd('/').Length + 1)..];
        var volume = Assert.Single(pod.Items("volumes"), v => v.Text("name") == mount.Text("name"));
        if (SecretFiles(volume).Contains(relative))
        {
            return;
        }

        Assert.True(volume.MapOrNull("emptyDir") is { } empty && empty.Text("medium") == "Memory", $"{flag} {path}: volume {volume.Text("name")} is neither a Secret with {relative} nor a memory volume");
        var filler = Assert.Single(pod.Items("initContainers"), init => init.Items("volumeMounts").Any(m => m.Text("name") == volume.Text("name") && m.Text("readOnly") != "true"));
        Assert.Contains(
            filler.Items("volumeMounts").Where(m => m.Text("name") != volume.Text("name")),
            source => SecretFiles(Assert.Single(pod.Items("volumes"), v => v.Text("name") == source.Text("name"))).Contains(Path.GetFileName(relative)));
    }

    private static HashSet<string> SecretFiles(YamlMappingNode volume)
    {
        var secrets = new List<YamlMappingNode>();
        if (volume.MapOrNull("secret") is { } secret)
        {
            secrets.Add(secret);
        }

        secrets.AddRange(volume.MapOrNull("projected")?.Items("sources").Select(s => s.MapOrNull("secret")).OfType<YamlMappingNode>() ?? []);
        return [.. secrets.SelectMany(s => s.Items("items")).Select(item => item.Text("path"))];
    }

    private static string[] DockerfileEntrypoint(string dockerfile)
    {
        var line = Assert.Single(File.ReadAllLines(Path.Combine(Kustomize.RepositoryRoot(), dockerfile)), l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal));
        return System.Text.Json.JsonSerializer.Deserialize<string[]>(line["ENTRYPOINT ".Length..])!;
    }
}
