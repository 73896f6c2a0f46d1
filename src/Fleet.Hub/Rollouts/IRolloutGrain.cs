using Fleet.Domain.Rollouts;
using Fleet.Hub.Index;

namespace Fleet.Hub.Rollouts;

/// <summary>One rollout (key = rollout id): a durable state machine woken by target reports, timers and a reminder.</summary>
[Alias("Fleet.Hub.Rollouts.IRolloutGrain")]
public interface IRolloutGrain : IGrainWithStringKey
{
    /// <summary>Fixes the cohort and starts. Idempotent: a started rollout only continues.</summary>
    [Alias("Start")]
    Task Start(RolloutStart start);

    /// <summary>A target reported on the rollout's revision. One-way: the target grain must not wait on us.</summary>
    [Alias("OnTargetResult"), OneWay]
    Task OnTargetResult(string target, string capability, long revision, TargetOutcome outcome, string message);

    /// <summary>
    /// A target joined (or changed labels) while this rollout runs: a wave not yet started takes it;
    /// otherwise it receives the stable revision. One-way for the same reason.
    /// </summary>
    [Alias("OfferTarget"), OneWay]
    Task OfferTarget(TargetIndexEntry target);

    [Alias("Supersede")]
    Task Supersede(string byRollout);

    [Alias("Pause")]
    Task<RolloutView?> Pause();

    [Alias("Resume")]
    Task<RolloutView?> Resume();

    [Alias("Abort")]
    Task<RolloutView?> Abort();

    [Alias("Approve")]
    Task<RolloutView?> Approve();

    /// <summary>The targets this rollout changed and what each ran before, for an undo.</summary>
    [Alias("ChangedTargets")]
    Task<List<UndoTarget>> ChangedTargets();

    /// <summary>Continue: start whatever may start now. One-way so callers (including this grain) never wait.</summary>
    [Alias("Kick"), OneWay]
    Task Kick();

    [Alias("Get"), ReadOnly]
    Task<RolloutView?> Get();
}
