namespace Fleet.Domain.Rollouts;

/// <summary>A target's state inside one rollout (SPEC §5). Succeeded, Failed and Skipped are final.</summary>
public enum RolloutTargetState
{
    Pending,
    InProgress,
    Succeeded,
    Failed,
    Skipped,
}
