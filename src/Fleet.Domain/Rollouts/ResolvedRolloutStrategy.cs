using Fleet.Domain.Model;

namespace Fleet.Domain.Rollouts;

/// <summary>A strategy with every field decided: flags over the capability's strategy over the defaults of SPEC §4.</summary>
public sealed record ResolvedRolloutStrategy
{
    public static readonly ResolvedRolloutStrategy Default = new();

    public RolloutTrigger Trigger { get; init; } = RolloutTrigger.Auto;
    public IntOrPercent MaxUnavailable { get; init; } = new(25, IsPercent: true);
    public int SoakSeconds { get; init; }
    public int ProgressDeadlineSeconds { get; init; } = 600;

    /// <summary>Failed targets allowed before the rollout stops; 0 stops at the first failure.</summary>
    public IntOrPercent MaxFailures { get; init; } = new(0, IsPercent: false);

    /// <summary>No budget decision before this many targets have finished.</summary>
    public int MinSample { get; init; } = 1;

    public OnFailure OnFailure { get; init; } = OnFailure.Pause;
    public OfflineTargets OfflineTargets { get; init; } = OfflineTargets.Wait;

    /// <summary>Empty: one wave of every placed target.</summary>
    public IReadOnlyList<WaveSpec> Waves { get; init; } = [];

    public WindowSpec? Window { get; init; }

    /// <summary>Layers strategies: earlier arguments win over later ones, field by field; the defaults fill the rest.</summary>
    public static ResolvedRolloutStrategy Resolve(params RolloutStrategySpec?[] layers)
    {
        var result = Default;
        foreach (var layer in layers.Reverse())
        {
            if (layer is null)
            {
                continue;
            }

            result = result with
            {
                Trigger = layer.Trigger ?? result.Trigger,
                MaxUnavailable = layer.MaxUnavailable ?? result.MaxUnavailable,
                SoakSeconds = layer.SoakSeconds ?? result.SoakSeconds,
                ProgressDeadlineSeconds = layer.ProgressDeadlineSeconds ?? result.ProgressDeadlineSeconds,
                MaxFailures = layer.FailureBudget?.MaxFailures ?? result.MaxFailures,
                MinSample = layer.FailureBudget?.MinSample ?? result.MinSample,
                OnFailure = layer.OnFailure ?? result.OnFailure,
                OfflineTargets = layer.OfflineTargets ?? result.OfflineTargets,
                Waves = layer.Waves ?? result.Waves,
                Window = layer.Window ?? result.Window,
            };
        }

        return result;
    }

    public bool Equals(ResolvedRolloutStrategy? other) =>
        other is not null && Trigger == other.Trigger && MaxUnavailable == other.MaxUnavailable && SoakSeconds == other.SoakSeconds
        && ProgressDeadlineSeconds == other.ProgressDeadlineSeconds && MaxFailures == other.MaxFailures && MinSample == other.MinSample
        && OnFailure == other.OnFailure && OfflineTargets == other.OfflineTargets && Equals(Window, other.Window) && Waves.SequenceEqual(other.Waves);

    public override int GetHashCode() => HashCode.Combine(Trigger, MaxUnavailable, SoakSeconds, ProgressDeadlineSeconds, MaxFailures, MinSample, OnFailure);
}
