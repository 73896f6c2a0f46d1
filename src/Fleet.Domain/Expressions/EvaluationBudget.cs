namespace Fleet.Domain.Expressions;

/// <summary>
/// Work shared by many evaluations, e.g. every expression of one capability rendered for one target. Each evaluation
/// keeps its own per-evaluation limit (<see cref="Cel.CelLimits.MaxCost"/>) and also stops once the evaluations together
/// have spent <see cref="MaxCost"/>, or once <see cref="Cancellation"/> fires (a deadline, or a caller that went away):
/// thousands of expressions each under their own limit must not add up to minutes of work.
/// </summary>
public sealed class EvaluationBudget(long maxCost, CancellationToken cancellation = default)
{
    private long _spent;

    /// <summary>The cost, in the units of <see cref="Cel.CelLimits.MaxCost"/>, all evaluations together may spend.</summary>
    public long MaxCost { get; } = maxCost > 0 ? maxCost : throw new ArgumentOutOfRangeException(nameof(maxCost), "must be positive");

    /// <summary>Checked while evaluating; when it fires, the evaluation throws <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>What the evaluations so far have spent (an evaluation stopped by the budget leaves this above <see cref="MaxCost"/>).</summary>
    public long Spent => Interlocked.Read(ref _spent);

    public long Remaining => Math.Max(0, MaxCost - Spent);

    /// <summary>Whether an evaluation was stopped because the budget ran out.</summary>
    public bool IsExhausted => Spent > MaxCost;

    internal void Spend(long units) => Interlocked.Add(ref _spent, units);
}
