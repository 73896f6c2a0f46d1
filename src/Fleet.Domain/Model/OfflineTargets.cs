namespace Fleet.Domain.Model;

/// <summary>What a rollout does with a target that is not connected when its turn comes.</summary>
public enum OfflineTargets
{
    /// <summary>Hand it the revision anyway and wait for it; it counts as unavailable meanwhile.</summary>
    Wait,

    /// <summary>Leave it for a later rollout and report it as skipped.</summary>
    Skip,
}
