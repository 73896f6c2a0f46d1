namespace Fleet.Hub.Instances;

[GenerateSerializer, Immutable, Alias("Fleet.Hub.Instances.InstanceView")]
public sealed record InstanceView
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public required string Capability { get; init; }
    [Id(2)] public long Revision { get; init; }
    [Id(3)] public long StableRevision { get; init; }
    [Id(4)] public List<long> Revisions { get; init; } = [];
    [Id(5)] public long CapabilityRevision { get; init; }

    /// <summary>The latest revision's inputs after defaults (canonical JSON).</summary>
    [Id(6)] public string InputsJson { get; init; } = "{}";
    [Id(7)] public string? ActiveRollout { get; init; }
    [Id(8)] public DateTimeOffset Created { get; init; }
    [Id(9)] public List<string> Rollouts { get; init; } = [];

    /// <summary>The delivery key "capability/instance".</summary>
    [Id(10)] public required string Key { get; init; }

    /// <summary>The inputs as the operator wrote them (before defaults), checked again when the capability's schema changes.</summary>
    [Id(11)] public string GivenInputsJson { get; init; } = "{}";
}
