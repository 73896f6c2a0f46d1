using Fleet.Domain.Rollouts;

namespace Fleet.Hub.Rollouts;

/// <summary>Persisted before every action the rollout takes, so a restart resumes exactly where it stood.</summary>
public sealed class RolloutGrainState
{
    public string Capability { get; set; } = "";
    public long FromRevision { get; set; }
    public long ToRevision { get; set; }
    public RolloutPhase Phase { get; set; } = RolloutPhase.Pending;
    public string Message { get; set; } = "";
    public ResolvedRolloutStrategy Strategy { get; set; } = ResolvedRolloutStrategy.Default;
    public List<RolloutTargetEntry> Targets { get; set; } = [];
    public DateTimeOffset Created { get; set; }
    public DateTimeOffset Updated { get; set; }

    /// <summary>The capability grain has been told the terminal phase (so it is told once).</summary>
    public bool Reported { get; set; }
}
