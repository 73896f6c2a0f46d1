using Fleet.Domain.Model;

namespace Fleet.Domain.Rollouts;

/// <summary>A strategy with every field decided (flags over the capability's strategy over the defaults).</summary>
public sealed record ResolvedRolloutStrategy
{
    public static readonly ResolvedRolloutStrategy Default = new();

    public RolloutTrigger Trigger { get; init; } = RolloutTrigger.Auto;
    public IntOrPercent MaxUnavailable { get; init; } = new(25, IsPercent: true);
    public int ProgressDeadlineSeconds { get; init; } = 600;

    /// <summary>Failed targets allowed before the rollout stops; 0 stops at the first failure.</summary>
    public IntOrPercent MaxFailures { get; init; } = new(0, IsPercent: false);

    /// <summary>No budget decision before this many targets have finished.</summary>
    public int MinSample { get; init; } = 1;

    public OnFailure OnFailure { get; init; } = OnFailure.Pause;

    /// <summary>Layers strategies: earlier arguments win over later ones, the defaults fill the rest.</summary>
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
                ProgressDeadlineSeconds = layer.ProgressDeadlineSeconds ?? result.ProgressDeadlineSeconds,
            };
        }

        return result;
    }
}
