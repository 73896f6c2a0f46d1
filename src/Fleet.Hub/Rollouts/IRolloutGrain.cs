namespace Fleet.Hub.Rollouts;

/// <summary>One rollout (key = rollout id): a durable state machine woken by target reports and a reminder.</summary>
[Alias("Fleet.Hub.Rollouts.IRolloutGrain")]
public interface IRolloutGrain : IGrainWithStringKey
{
    /// <summary>Fixes the cohort and starts. Idempotent: a started rollout only continues.</summary>
    [Alias("Start")]
    Task Start(RolloutStart start);

    /// <summary>A target reached (or failed) the rollout's revision. One-way: the target grain must not wait on us.</summary>
    [Alias("OnTargetResult"), OneWay]
    Task OnTargetResult(string target, string capability, long revision, bool succeeded, string message);

    [Alias("Supersede")]
    Task Supersede(string byRollout);

    /// <summary>Continue: start whatever may start now. One-way so callers (including this grain) never wait.</summary>
    [Alias("Kick"), OneWay]
    Task Kick();

    [Alias("Get"), ReadOnly]
    Task<RolloutView?> Get();
}
