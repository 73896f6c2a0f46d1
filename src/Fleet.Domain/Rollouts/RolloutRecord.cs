namespace Fleet.Domain.Rollouts;

/// <summary>Everything a rollout must remember across restarts; the grain persists it before acting.</summary>
public sealed class RolloutRecord
{
    public RolloutPhase Phase { get; set; } = RolloutPhase.Pending;
    public string Message { get; set; } = "";
    public List<RolloutWave> Waves { get; set; } = [];
    public List<RolloutTargetEntry> Targets { get; set; } = [];

    /// <summary>Index of the wave now in progress (or waiting to start).</summary>
    public int CurrentWave { get; set; }

    /// <summary>True once the rollout moves targets back (automatic rollback, or an undo rollout).</summary>
    public bool RollingBack { get; set; }
}
