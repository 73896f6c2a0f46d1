namespace Fleet.Domain.Rollouts;

/// <summary>
/// One target of a rollout's cohort. Mutable only through <see cref="RolloutProgress"/>; a plain
/// settable shape so grain storage can persist it as JSON.
/// </summary>
public sealed class RolloutTargetEntry
{
    public required string Name { get; set; }
    public RolloutAction Action { get; set; }
    public RolloutTargetState State { get; set; }
    public string Message { get; set; } = "";
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
}
