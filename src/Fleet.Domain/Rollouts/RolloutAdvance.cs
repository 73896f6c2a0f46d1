namespace Fleet.Domain.Rollouts;

/// <summary>What one step of the state machine decided: targets to hand their revision now, and targets it failed.</summary>
public sealed record RolloutAdvance(IReadOnlyList<RolloutTargetEntry> Started, IReadOnlyList<RolloutTargetEntry> Expired)
{
    public static readonly RolloutAdvance Nothing = new([], []);
}
