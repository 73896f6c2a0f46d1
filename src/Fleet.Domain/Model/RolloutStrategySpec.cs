namespace Fleet.Domain.Model;

/// <summary>
/// The rollout strategy of SPEC §4. Null members mean "not given here", so a capability's
/// strategy, CLI flags and the defaults can be layered (<see cref="Rollouts.RolloutStrategy.Resolve"/>).
/// </summary>
public sealed record RolloutStrategySpec
{
    public RolloutTrigger? Trigger { get; init; }
    public IntOrPercent? MaxUnavailable { get; init; }
    public int? ProgressDeadlineSeconds { get; init; }
}
