namespace Fleet.Hub.Instances;

/// <summary>What an instance revision renders: a capability revision with resolved inputs (canonical JSON).</summary>
[GenerateSerializer, Immutable, Alias("Fleet.Hub.Instances.InstanceRevisionRef")]
public sealed record InstanceRevisionRef(
    [property: Id(0)] string Capability,
    [property: Id(1)] long CapabilityRevision,
    [property: Id(2)] string InputsJson);
