namespace Fleet.Domain.Expressions.Cel;

/// <summary>
/// One node of a compiled program. Immutable and shared by every evaluation; all state is in the
/// <see cref="CelFrame"/>. Each evaluation of a step costs one unit of the budget. A step returns a value
/// of the model or a <see cref="CelError"/>.
/// </summary>
internal abstract class Step(int offset)
{
    public int Offset { get; } = offset;

    public object? Evaluate(CelFrame frame)
    {
        frame.Tick(Offset);
        return Eval(frame);
    }

    protected abstract object? Eval(CelFrame frame);

    protected CelError Error(string message) => new(message, Offset);
}
