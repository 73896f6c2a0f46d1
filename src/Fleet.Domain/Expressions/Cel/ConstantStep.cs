namespace Fleet.Domain.Expressions.Cel;

/// <summary>A literal or a type name. Only immutable values are constants; list and map literals are built per evaluation.</summary>
internal sealed class ConstantStep(int offset, object? value) : Step(offset)
{
    public object? Value { get; } = value;

    protected override object? Eval(CelFrame frame) => Value;
}
