namespace Fleet.Domain.Expressions.Cel;

/// <summary>
/// A strict function call: every argument is evaluated, an error among them is the result, otherwise the
/// first overload that accepts the run-time kinds runs. With no overloads at all the function is unknown
/// (possible only when checking is off).
/// </summary>
internal sealed class CallStep(int offset, string function, IReadOnlyList<CelOverload> overloads, IReadOnlyList<Step> args) : Step(offset)
{
    protected override object? Eval(CelFrame frame)
    {
        var values = new object?[args.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var value = args[i].Evaluate(frame);
            if (value is CelError)
            {
                return value;
            }

            values[i] = value;
        }

        if (overloads.Count == 0)
        {
            return Error($"unknown function '{function}'");
        }

        foreach (var overload in overloads)
        {
            if (overload.Accepts(values))
            {
                frame.CallOffset = Offset;
                var result = overload.Body(values, frame);
                return result is CelError error ? error.At(Offset) : result;
            }
        }

        return Error($"no matching overload for '{CelOperators.Display(function)}' applied to ({string.Join(", ", values.Select(CelValues.TypeName))})");
    }
}
