namespace Fleet.Domain.Rollouts;

/// <summary>Phases of SPEC §4. Terminal: Succeeded, Failed, Aborted, RolledBack, Superseded.</summary>
public enum RolloutPhase
{
    Pending,
    Running,
    WaitingApproval,
    WaitingWindow,
    Paused,
    Succeeded,
    Failed,
    Aborted,
    RolledBack,
    Superseded,
}
