namespace Fleet.Domain.Expressions.Cel;

/// <summary>
/// The state of one evaluation: the variables, the slots of comprehension variables and the cost spent.
/// Compiled programs are immutable and shared; everything that changes lives here, one frame per call.
/// </summary>
internal sealed class CelFrame(IReadOnlyDictionary<string, object?> variables, CelLimits limits, int localSlots)
{
    private long _cost;

    public IReadOnlyDictionary<string, object?> Variables { get; } = variables;

    public CelLimits Limits { get; } = limits;

    public object?[] Locals { get; } = localSlots == 0 ? [] : new object?[localSlots];

    /// <summary>Counts one step; throws once the budget is spent.</summary>
    public void Tick(int offset)
    {
        if (++_cost > Limits.MaxCost)
        {
            throw Exhausted(offset);
        }
    }

    /// <summary>Where the function running now was called, for limit errors raised inside it.</summary>
    public int CallOffset { get; set; }

    /// <summary>Charges work proportional to a size (characters copied, elements compared) to the running call.</summary>
    public void Charge(long units) => Charge(units, CallOffset);

    public void Charge(long units, int offset)
    {
        _cost += units;
        if (_cost > Limits.MaxCost)
        {
            throw Exhausted(offset);
        }
    }

    private CelLimitException Exhausted(int offset) =>
        new($"evaluation exceeded its cost limit of {Limits.MaxCost} steps", offset);
}
