namespace Fleet.Hub.Targets;

/// <summary>What a target's desired set takes on the wire: the set's own fields, and each delivery key as it is sent now.</summary>
[GenerateSerializer, Immutable, Alias("Fleet.Hub.Targets.DesiredSetSizes")]
public sealed record DesiredSetSizes
{
    [Id(0)] public long Fixed { get; init; }
    [Id(1)] public Dictionary<string, long> Capabilities { get; init; } = [];
}
