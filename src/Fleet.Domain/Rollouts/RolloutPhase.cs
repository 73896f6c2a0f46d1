namespace Fleet.Domain.Rollouts;

/// <summary>Phases of SPEC §4. Terminal: Succeeded, Failed, Aborted, RolledBack, Superseded.</summary>
public enum RolloutPhase
{
    Pending,
    Running,
    WaitingApproval,
    WaitingWindow,

    /// <summary>Waiting for a process gate of the current wave (SPEC §4).</summary>
    WaitingGate,
    Paused,
    Succeeded,
    Failed,
    Aborted,
    RolledBack,
    Superseded,
}
