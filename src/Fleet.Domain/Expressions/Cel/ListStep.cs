namespace Fleet.Domain.Expressions.Cel;

/// <summary>A list literal, built anew by each evaluation so no caller can change another's value.</summary>
internal sealed class ListStep(int offset, IReadOnlyList<Step> elements) : Step(offset)
{
    protected override object? Eval(CelFrame frame)
    {
        var list = new List<object?>(elements.Count);
        foreach (var element in elements)
        {
            var value = element.Evaluate(frame);
            if (value is CelError)
            {
                return value;
            }

            list.Add(value);
        }

        return list;
    }
}
