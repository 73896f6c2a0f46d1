namespace Fleet.Hub.Rollouts;

/// <summary>What a rollout moves: every target of <see cref="Capability"/> from <see cref="FromRevision"/> to <see cref="ToRevision"/>.</summary>
[GenerateSerializer, Immutable, Alias("Fleet.Hub.Rollouts.RolloutStart")]
public sealed record RolloutStart(
    [property: Id(0)] string Capability,
    [property: Id(1)] long FromRevision,
    [property: Id(2)] long ToRevision);
