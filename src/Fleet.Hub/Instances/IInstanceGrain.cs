using Fleet.Hub.Capabilities;
using Fleet.Hub.Rollouts;

namespace Fleet.Hub.Instances;

/// <summary>
/// One Instance (key = its name) of a capability that takes inputs: its revisions, each a capability
/// revision with resolved inputs, delivered under "capability/instance" by rollouts with the capability's strategy.
/// </summary>
[Alias("Fleet.Hub.Instances.IInstanceGrain")]
public interface IInstanceGrain : IGrainWithStringKey, IRolloutOwner
{
    /// <summary>
    /// Creates or updates the instance with <paramref name="givenInputsJson"/> (already checked by the caller
    /// against the capability's latest revision); a new revision starts a rollout when the capability's trigger is auto.
    /// </summary>
    [Alias("Apply")]
    Task<ApplyOutcome> Apply(string capability, string givenInputsJson);

    /// <summary>Takes the instance off every target and forgets it. False when it did not exist.</summary>
    [Alias("Delete")]
    Task<bool> Delete();

    /// <summary>The capability made <paramref name="revision"/>: a new instance revision renders it. Idempotent.</summary>
    [Alias("OnCapabilityRevision")]
    Task OnCapabilityRevision(string capability, long revision);

    [Alias("GetRevision"), AlwaysInterleave]
    Task<InstanceRevisionRef?> GetRevision(long revision);

    [Alias("Get"), AlwaysInterleave]
    Task<InstanceView?> Get();

    /// <summary>Starts a rollout of <paramref name="revision"/> (0: the latest) with a strategy override; supersedes a running one.</summary>
    [Alias("StartRollout")]
    Task<string> StartRollout(long revision, string? strategyOverrideJson);

    [Alias("Undo")]
    Task<string> Undo();

    /// <summary>At hub start: repairs the catalog entry and the capability's list, and wakes the active rollout.</summary>
    [Alias("Recover")]
    Task Recover();
}
