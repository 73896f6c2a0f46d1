namespace Fleet.Hub.Targets;

/// <summary>A target as operators see it (SPEC §5 Target).</summary>
[GenerateSerializer, Immutable, Alias("Fleet.Hub.Targets.TargetView")]
public sealed record TargetView
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public Dictionary<string, string> Labels { get; init; } = [];
    [Id(2)] public Dictionary<string, string> Facts { get; init; } = [];
    [Id(3)] public string Driver { get; init; } = "";
    [Id(4)] public bool Connected { get; init; }
    [Id(5)] public DateTimeOffset? LastSeen { get; init; }
    [Id(6)] public Dictionary<string, TargetCapabilityView> Capabilities { get; init; } = [];
}
