namespace Fleet.Domain.Rollouts;

public static class RolloutPhaseExtensions
{
    /// <summary>A terminal rollout never changes again and starts no target update.</summary>
    public static bool IsTerminal(this RolloutPhase phase) =>
        phase is RolloutPhase.Succeeded or RolloutPhase.Failed or RolloutPhase.Aborted
            or RolloutPhase.RolledBack or RolloutPhase.Superseded;
}
