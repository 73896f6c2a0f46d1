using YamlDotNet.RepresentationModel;

namespace Fleet.Hub.Tests.Hosting;

/// <summary>What <c>kubectl kustomize</c> printed for one directory of deploy/: its text and its documents.</summary>
internal sealed class RenderedManifests(string directory, string text, IReadOnlyList<YamlMappingNode> documents)
{
    public string Directory { get; } = directory;

    public string Text { get; } = text;

    public IReadOnlyList<YamlMappingNode> Documents { get; } = documents;

    public IEnumerable<YamlMappingNode> OfKind(string kind) => Documents.Where(d => d.Text("kind") == kind);

    public YamlMappingNode Single(string kind, string name) =>
        Assert.Single(OfKind(kind), d => d.Map("metadata").Text("name") == name);

    /// <summary>The Deployments and StatefulSets: what runs the programs.</summary>
    public IEnumerable<YamlMappingNode> Workloads => Documents.Where(d => d.Text("kind") is "Deployment" or "StatefulSet");

    /// <summary>The one workload of this directory with a container named <paramref name="container"/>.</summary>
    public YamlMappingNode Workload(string container) =>
        Assert.Single(Workloads, w => PodSpec(w).Items("containers").Any(c => c.Text("name") == container));

    public static YamlMappingNode PodSpec(YamlMappingNode workload) => workload.Map("spec").Map("template").Map("spec");

    public static IReadOnlyDictionary<string, string> PodLabels(YamlMappingNode workload) =>
        workload.Map("spec").Map("template").Map("metadata").MapOrNull("labels").Strings();

    public static YamlMappingNode Container(YamlMappingNode workload, string name) =>
        Assert.Single(PodSpec(workload).Items("containers"), c => c.Text("name") == name);

    /// <summary>Init containers and containers.</summary>
    public static IEnumerable<YamlMappingNode> AllContainers(YamlMappingNode workload) =>
        PodSpec(workload).Items("initContainers").Concat(PodSpec(workload).Items("containers"));
}
