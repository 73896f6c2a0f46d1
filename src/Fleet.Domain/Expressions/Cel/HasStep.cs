namespace Fleet.Domain.Expressions.Cel;

/// <summary><c>has(operand.field)</c>: whether a map has the key; an error for anything but a map.</summary>
internal sealed class HasStep(int offset, Step operand, string field) : Step(offset)
{
    protected override object? Eval(CelFrame frame)
    {
        var value = operand.Evaluate(frame);
        if (value is CelError)
        {
            return value;
        }

        return CelValues.KindOf(value) == CelValueKind.Map
            ? CelMaps.TryGet(value!, field, out _)
            : Error($"has() cannot test field '{field}' of a value of type {CelValues.TypeName(value)}");
    }
}
