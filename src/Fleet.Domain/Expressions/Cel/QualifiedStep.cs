namespace Fleet.Domain.Expressions.Cel;

/// <summary>
/// <c>a.b.c</c> with an undeclared root: a variable named <c>a.b.c</c> (or <c>a.b</c>, then field <c>c</c>)
/// bound in this evaluation wins, as CEL resolves the longest qualified name; otherwise the ordinary
/// reading (variable <c>a</c>, then its fields) runs.
/// </summary>
internal sealed class QualifiedStep(int offset, IReadOnlyList<(string Name, string[] Fields)> candidates, Step ordinary) : Step(offset)
{
    protected override object? Eval(CelFrame frame)
    {
        foreach (var (name, fields) in candidates)
        {
            if (!frame.Variables.TryGetValue(name, out var value))
            {
                continue;
            }

            value = CelValues.Normalize(value);
            foreach (var field in fields)
            {
                value = SelectStep.Select(value, field);
            }

            return value is CelError error ? error.At(Offset) : value;
        }

        return ordinary.Evaluate(frame);
    }
}
