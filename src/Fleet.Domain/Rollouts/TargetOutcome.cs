namespace Fleet.Domain.Rollouts;

/// <summary>What a target reported about the revision a rollout gave it.</summary>
public enum TargetOutcome
{
    Ready,

    /// <summary>Was ready and no longer is (while soaking): the soak starts over.</summary>
    Unready,
    Failed,

    /// <summary>Not updated (offline with <c>offlineTargets: skip</c>).</summary>
    Skipped,
}
