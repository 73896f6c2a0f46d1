namespace Fleet.Domain.Rendering;

/// <summary>
/// Bounds on rendering one capability for one target, over all its expressions together. Each expression also stays
/// within its own limit (<see cref="Expressions.Cel.CelLimits"/>), but thousands of expressions each under that limit
/// once added up to minutes of hub time per render; these bounds are what a render may cost in total.
/// </summary>
public sealed record RenderLimits
{
    public static RenderLimits Default { get; } = new();

    /// <summary>
    /// Cost all expressions of one render may spend together, in the units of <see cref="Expressions.Cel.CelLimits.MaxCost"/>.
    /// Default 5,000,000: five expressions at their own limit, about half a second of work on a loaded 2-core machine
    /// (~10 million steps a second there); ordinary templates spend tens of steps per expression.
    /// </summary>
    public long MaxCost { get; init; } = 5_000_000;

    /// <summary>
    /// Wall time one render may take. Default 5 s. The cost budget is the defence and is the same on every machine; this
    /// is a backstop for work the cost does not count (a busy machine, a slow regular expression).
    /// </summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromSeconds(5);
}
