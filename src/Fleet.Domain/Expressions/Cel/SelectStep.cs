namespace Fleet.Domain.Expressions.Cel;

/// <summary><c>operand.field</c>: the value under a string key of a map. Anything else has no fields.</summary>
internal sealed class SelectStep(int offset, Step operand, string field) : Step(offset)
{
    public static object? Select(object? value, string field)
    {
        if (value is CelError)
        {
            return value;
        }

        if (CelValues.KindOf(value) != CelValueKind.Map)
        {
            return new CelError($"no such field '{field}': a value of type {CelValues.TypeName(value)} has no fields");
        }

        return CelMaps.TryGet(value!, field, out var result) ? result : new CelError($"no such key: {field}");
    }

    protected override object? Eval(CelFrame frame)
    {
        var result = Select(operand.Evaluate(frame), field);
        return result is CelError error ? error.At(Offset) : result;
    }
}
