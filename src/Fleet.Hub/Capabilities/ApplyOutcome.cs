namespace Fleet.Hub.Capabilities;

/// <summary>Result of applying a spec: <c>created</c>, <c>configured</c> (new revision) or <c>unchanged</c>.</summary>
[GenerateSerializer, Immutable, Alias("Fleet.Hub.Capabilities.ApplyOutcome")]
public sealed record ApplyOutcome(
    [property: Id(0)] long Revision,
    [property: Id(1)] string Outcome,
    [property: Id(2)] string? RolloutId);
