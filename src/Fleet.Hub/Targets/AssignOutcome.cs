namespace Fleet.Hub.Targets;

/// <summary>
/// What a target answered when a rollout gave it a revision (or took a capability away), and what it
/// ran before that rollout changed it (0: nothing), which a rollback returns it to.
/// </summary>
[GenerateSerializer, Immutable, Alias("Fleet.Hub.Targets.AssignOutcome")]
public sealed record AssignOutcome(
    [property: Id(0)] AssignStatus Status,
    [property: Id(1)] string Message,
    [property: Id(2)] long PreviousRevision);
