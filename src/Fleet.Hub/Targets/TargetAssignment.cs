namespace Fleet.Hub.Targets;

/// <summary>
/// The revision of one capability the hub wants on a target, and the rollout that put it there
/// (null when the target received the stable revision on joining). <see cref="Removing"/>: the
/// capability is being taken off the target and stays here until the agent confirms.
/// </summary>
public sealed class TargetAssignment
{
    public required string Capability { get; set; }
    public long Revision { get; set; }
    public string? RolloutId { get; set; }
    public bool Removing { get; set; }

    /// <summary>What the target was to run before <see cref="RolloutId"/> changed it (0: nothing), for rollback.</summary>
    public long PreviousRevision { get; set; }

    /// <summary>As the domain's rules take it.</summary>
    public Domain.Targets.Assignment Snapshot() => new(Revision, Removing, RolloutId, PreviousRevision);
}
