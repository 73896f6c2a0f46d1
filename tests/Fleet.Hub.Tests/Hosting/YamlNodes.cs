using YamlDotNet.RepresentationModel;

namespace Fleet.Hub.Tests.Hosting;

/// <summary>Reading Kubernetes documents parsed by YamlDotNet: a missing key the test needs fails it by name.</summary>
internal static class YamlNodes
{
    public static YamlMappingNode Map(this YamlMappingNode node, string key) =>
        node.MapOrNull(key) ?? throw new Xunit.Sdk.XunitException($"no mapping '{key}' in {Describe(node)}");

    public static YamlMappingNode? MapOrNull(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) ? value as YamlMappingNode : null;

    /// <summary>The scalar at <paramref name="key"/>, "" when absent.</summary>
    public static string Text(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) && value is YamlScalarNode scalar ? scalar.Value ?? "" : "";

    /// <summary>The mappings of the sequence at <paramref name="key"/>, none when absent.</summary>
    public static IReadOnlyList<YamlMappingNode> Items(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) && value is YamlSequenceNode sequence ? [.. sequence.Cast<YamlMappingNode>()] : [];

    /// <summary>The scalars of the sequence at <paramref name="key"/> (a container's args), none when absent.</summary>
    public static string[] Strings(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) && value is YamlSequenceNode sequence
            ? [.. sequence.Select(item => ((YamlScalarNode)item).Value ?? "")]
            : [];

    /// <summary>A mapping of strings (labels, a selector's matchLabels, a ConfigMap's data).</summary>
    public static IReadOnlyDictionary<string, string> Strings(this YamlMappingNode? node) =>
        node is null
            ? new Dictionary<string, string>()
            : node.Children.ToDictionary(pair => ((YamlScalarNode)pair.Key).Value!, pair => ((YamlScalarNode)pair.Value).Value ?? "", StringComparer.Ordinal);

    public static string Describe(this YamlMappingNode node) =>
        node.MapOrNull("metadata") is { } metadata ? $"{node.Text("kind")}/{metadata.Text("name")}" : $"the node at {node.Start}";
}
