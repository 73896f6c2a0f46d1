namespace Fleet.Domain.Rollouts;

/// <summary>
/// One target of a rollout: which wave it is in and which revision it is to run (0: the capability is
/// removed from it). Mutable only through <see cref="RolloutProgress"/>; plain settable properties so the
/// grain can persist it as JSON.
/// </summary>
public sealed class RolloutTargetEntry
{
    public required string Name { get; set; }
    public int Wave { get; set; }
    public RolloutAction Action { get; set; }
    public long Revision { get; set; }

    /// <summary>What the target ran before this rollout changed it (0: nothing); null until it was changed.</summary>
    public long? PreviousRevision { get; set; }

    public RolloutTargetState State { get; set; }
    public string Message { get; set; } = "";
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>Set while the target is ready but still soaking.</summary>
    public DateTimeOffset? ReadyAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>A failure an operator accepted by resuming: it no longer counts against the budget or as unhealthy.</summary>
    public bool FailureAccepted { get; set; }

    /// <summary>Failed and not accepted: holds a maxUnavailable slot and counts against the failure budget.</summary>
    public bool IsUnhealthy => State == RolloutTargetState.Failed && !FailureAccepted;

    public bool IsFinished => State is RolloutTargetState.Succeeded or RolloutTargetState.Failed or RolloutTargetState.Skipped;
}
