namespace Fleet.Hub.Targets;

/// <summary>The answer of <see cref="ITargetGrain.Attach"/>; <see cref="Desired"/> is set only when <see cref="AttachStatus.Resumed"/>.</summary>
[GenerateSerializer, Immutable, Alias("Fleet.Hub.Targets.AttachOutcome")]
public sealed record AttachOutcome([property: Id(0)] AttachStatus Status, [property: Id(1)] VersionedDesiredSet? Desired = null);
