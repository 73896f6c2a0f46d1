namespace Fleet.Domain.Model;

/// <summary>
/// The rollout strategy of SPEC §4. Null members mean "not given here", so CLI flags, a capability's
/// strategy and the defaults can be layered (<see cref="Rollouts.ResolvedRolloutStrategy.Resolve"/>).
/// </summary>
public sealed record RolloutStrategySpec
{
    public RolloutTrigger? Trigger { get; init; }
    public IntOrPercent? MaxUnavailable { get; init; }
    public int? SoakSeconds { get; init; }
    public int? ProgressDeadlineSeconds { get; init; }
    public FailureBudgetSpec? FailureBudget { get; init; }
    public OnFailure? OnFailure { get; init; }
    public OfflineTargets? OfflineTargets { get; init; }
    public IReadOnlyList<WaveSpec>? Waves { get; init; }
    public WindowSpec? Window { get; init; }

    public bool IsEmpty => this == new RolloutStrategySpec();

    public bool Equals(RolloutStrategySpec? other) =>
        other is not null && Trigger == other.Trigger && MaxUnavailable == other.MaxUnavailable && SoakSeconds == other.SoakSeconds
        && ProgressDeadlineSeconds == other.ProgressDeadlineSeconds && Equals(FailureBudget, other.FailureBudget)
        && OnFailure == other.OnFailure && OfflineTargets == other.OfflineTargets && Equals(Window, other.Window)
        && (Waves is null ? other.Waves is null : other.Waves is not null && Waves.SequenceEqual(other.Waves));

    public override int GetHashCode() => HashCode.Combine(Trigger, MaxUnavailable, SoakSeconds, ProgressDeadlineSeconds, OnFailure, OfflineTargets);
}
