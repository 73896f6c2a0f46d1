namespace Fleet.Hub.Targets;

/// <summary>What a target answered when a rollout gave it a revision (or took a capability away).</summary>
[GenerateSerializer, Immutable, Alias("Fleet.Hub.Targets.AssignOutcome")]
public sealed record AssignOutcome(
    [property: Id(0)] AssignStatus Status,
    [property: Id(1)] string Message)
{
    public static readonly AssignOutcome Waiting = new(AssignStatus.Waiting, "");
    public static readonly AssignOutcome Done = new(AssignStatus.Done, "");
}
