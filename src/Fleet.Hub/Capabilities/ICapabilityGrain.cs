namespace Fleet.Hub.Capabilities;

/// <summary>One capability (key = name): its immutable revisions, the stable revision and its rollouts.</summary>
[Alias("Fleet.Hub.Capabilities.ICapabilityGrain")]
public interface ICapabilityGrain : IGrainWithStringKey, Rollouts.IRolloutOwner
{
    /// <summary>Stores a new revision when the canonical spec differs from the latest; starts its rollout when the trigger is auto.</summary>
    [Alias("Apply")]
    Task<ApplyOutcome> Apply(string specJson);

    /// <summary>Removes the capability from every target and forgets it. False when it did not exist.</summary>
    [Alias("Delete")]
    Task<bool> Delete();

    /// <summary>Read-only and interleaved: rendering asks for revisions while this grain may be waiting on a rollout.</summary>
    [Alias("GetRevisionSpec"), AlwaysInterleave]
    Task<string?> GetRevisionSpec(long revision);

    [Alias("Get"), AlwaysInterleave]
    Task<CapabilityView?> Get();

    /// <summary>Registers an Instance, which from now on receives every new revision. Idempotent.</summary>
    [Alias("AddInstance")]
    Task AddInstance(string instance);

    [Alias("RemoveInstance")]
    Task RemoveInstance(string instance);

    /// <summary>Starts a rollout of <paramref name="revision"/> (0: the latest) with a strategy override; supersedes a running one.</summary>
    [Alias("StartRollout")]
    Task<string> StartRollout(long revision, string? strategyOverrideJson);

    /// <summary>Reverts what the latest rollout changed, as a new rollout; supersedes it if it still runs.</summary>
    [Alias("Undo")]
    Task<string> Undo();

    /// <summary>
    /// Called for every catalog entry when the hub starts: repairs the catalog from this grain's state
    /// (the two are written one after the other, so a crash can leave them apart) and wakes the
    /// active rollout so it continues where it stood.
    /// </summary>
    [Alias("Recover")]
    Task Recover();
}
