namespace Fleet.Hub.Index;

/// <summary>What the index knows of a target: enough to select rollout cohorts without activating every TargetGrain.</summary>
[GenerateSerializer, Immutable, Alias("Fleet.Hub.Index.TargetIndexEntry")]
public sealed record TargetIndexEntry
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public Dictionary<string, string> Labels { get; init; } = [];
    [Id(2)] public Dictionary<string, string> Facts { get; init; } = [];
    [Id(3)] public string Driver { get; init; } = "";

    /// <summary>Capability keys assigned to the target (including ones being removed).</summary>
    [Id(4)] public List<string> Capabilities { get; init; } = [];

    public bool SameAs(TargetIndexEntry other) =>
        Name == other.Name && Driver == other.Driver
        && SameMap(Labels, other.Labels) && SameMap(Facts, other.Facts)
        && Capabilities.Order(StringComparer.Ordinal).SequenceEqual(other.Capabilities.Order(StringComparer.Ordinal));

    private static bool SameMap(Dictionary<string, string> a, Dictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
