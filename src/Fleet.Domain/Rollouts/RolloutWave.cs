namespace Fleet.Domain.Rollouts;

/// <summary>A wave of a rollout with its limits decided at planning time.</summary>
public sealed class RolloutWave
{
    public required string Name { get; set; }
    public RolloutPhase Phase { get; set; } = RolloutPhase.Pending;
    public int MaxUnavailable { get; set; } = 1;
    public int SoakSeconds { get; set; }
    public bool Approval { get; set; }
    public bool Approved { get; set; }

    /// <summary>The wave that moves targets back after a failed or undone rollout.</summary>
    public bool Rollback { get; set; }

    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
}
