namespace Fleet.Domain.Rollouts;

/// <summary>What a rollout does to a target: move it to the new revision, or take the capability off it.</summary>
public enum RolloutAction
{
    /// <summary>The target is placed by the new revision: it receives it.</summary>
    Update,

    /// <summary>The target runs the capability but the new revision no longer places it: the capability is removed.</summary>
    Remove,
}
