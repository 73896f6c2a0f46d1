using Fleet.Domain.Rollouts;

namespace Fleet.Hub.Rollouts;

/// <summary>Persisted before every action the rollout takes, so a restart resumes exactly where it stood.</summary>
public sealed class RolloutGrainState
{
    public string Capability { get; set; } = "";
    public long FromRevision { get; set; }
    public long ToRevision { get; set; }

    /// <summary>The canonical JSON of the flags/file strategy layered over the capability's (null: none).</summary>
    public string? StrategyOverrideJson { get; set; }

    /// <summary>Set on undo rollouts: the rollout whose changes this one reverts.</summary>
    public string? UndoOf { get; set; }

    public RolloutRecord Record { get; set; } = new();
    public DateTimeOffset Created { get; set; }
    public DateTimeOffset Updated { get; set; }

    /// <summary>
    /// Targets that joined while this rollout ran but too late for it (their wave had started): they run the stable
    /// revision meanwhile, and the new one once the rollout succeeds — without this a target joining a first rollout
    /// would run nothing at all until the next one.
    /// </summary>
    public List<Index.TargetIndexEntry> LateJoiners { get; set; } = [];

    /// <summary>The capability grain has been told the terminal phase (so it is told once).</summary>
    public bool Reported { get; set; }
}
