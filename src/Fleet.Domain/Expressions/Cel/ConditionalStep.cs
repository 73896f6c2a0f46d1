namespace Fleet.Domain.Expressions.Cel;

/// <summary><c>c ? a : b</c>: only the chosen branch is evaluated, so an error in the other one does not matter.</summary>
internal sealed class ConditionalStep(int offset, Step condition, Step whenTrue, Step whenFalse) : Step(offset)
{
    protected override object? Eval(CelFrame frame) => condition.Evaluate(frame) switch
    {
        true => whenTrue.Evaluate(frame),
        false => whenFalse.Evaluate(frame),
        CelError error => error,
        var other => Error($"the condition of '?:' must be a bool, not {CelValues.TypeName(other)}"),
    };
}
