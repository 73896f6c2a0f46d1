namespace Fleet.Hub.Capabilities;

[GenerateSerializer, Immutable, Alias("Fleet.Hub.Capabilities.CapabilityView")]
public sealed record CapabilityView
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public string Version { get; init; } = "";
    [Id(2)] public long Revision { get; init; }
    [Id(3)] public long StableRevision { get; init; }
    [Id(4)] public List<long> Revisions { get; init; } = [];
    [Id(5)] public string? ActiveRollout { get; init; }
    [Id(6)] public string SpecJson { get; init; } = "";
    [Id(7)] public DateTimeOffset Created { get; init; }
    [Id(8)] public List<string> Rollouts { get; init; } = [];

    /// <summary>The Instances of a capability that takes inputs (empty otherwise).</summary>
    [Id(9)] public List<string> Instances { get; init; } = [];
}
