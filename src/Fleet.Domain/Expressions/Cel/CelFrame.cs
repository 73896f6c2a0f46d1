namespace Fleet.Domain.Expressions.Cel;

/// <summary>
/// The state of one evaluation: the variables, the slots of comprehension variables and the cost spent.
/// Compiled programs are immutable and shared; everything that changes lives here, one frame per call.
/// </summary>
internal sealed class CelFrame
{
    /// <summary>How many steps pass between two looks at the budget's cancellation (cheap enough to do in every loop).</summary>
    private const int CancellationCheckInterval = 1024;

    private readonly EvaluationBudget? _budget;
    private readonly long _limit;
    private readonly bool _limitIsBudget;
    private long _cost;
    private int _untilCancellationCheck = CancellationCheckInterval;

    public CelFrame(IReadOnlyDictionary<string, object?> variables, CelLimits limits, int localSlots, EvaluationBudget? budget = null)
    {
        Variables = variables;
        Limits = limits;
        Locals = localSlots == 0 ? [] : new object?[localSlots];
        _budget = budget;
        var remaining = budget?.Remaining ?? long.MaxValue;
        _limitIsBudget = remaining < limits.MaxCost;
        _limit = Math.Min(limits.MaxCost, remaining);
        budget?.Cancellation.ThrowIfCancellationRequested();
    }

    public IReadOnlyDictionary<string, object?> Variables { get; }

    public CelLimits Limits { get; }

    public object?[] Locals { get; }

    /// <summary>What this evaluation has spent so far.</summary>
    public long Cost => _cost;

    /// <summary>Counts one step; throws once the budget is spent.</summary>
    public void Tick(int offset)
    {
        if (++_cost > _limit)
        {
            throw Exhausted(offset);
        }

        if (--_untilCancellationCheck == 0)
        {
            _untilCancellationCheck = CancellationCheckInterval;
            _budget?.Cancellation.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Where the function running now was called, for limit errors raised inside it.</summary>
    public int CallOffset { get; set; }

    /// <summary>Charges work proportional to a size (characters copied, elements compared) to the running call.</summary>
    public void Charge(long units) => Charge(units, CallOffset);

    public void Charge(long units, int offset)
    {
        _cost += units;
        if (_cost > _limit)
        {
            throw Exhausted(offset);
        }
    }

    private CelLimitException Exhausted(int offset) => _limitIsBudget
        ? new($"the expressions together exceeded their total cost budget of {_budget!.MaxCost} steps", offset)
        : new($"evaluation exceeded its cost limit of {Limits.MaxCost} steps", offset);
}
