namespace Fleet.Domain.Expressions.Cel;

/// <summary>The variable of an enclosing comprehension, kept in a frame slot.</summary>
internal sealed class LocalStep(int offset, int slot) : Step(offset)
{
    protected override object? Eval(CelFrame frame) => frame.Locals[slot];
}
