namespace Fleet.Domain.Targets;

/// <summary>
/// What the hub wants of one capability on a target: a revision, or its removal (<see cref="Removing"/>), and the
/// rollout that decided it (null: placement on joining) with what the target was to run before that rollout.
/// </summary>
public sealed record Assignment(long Revision, bool Removing, string? RolloutId, long PreviousRevision);
