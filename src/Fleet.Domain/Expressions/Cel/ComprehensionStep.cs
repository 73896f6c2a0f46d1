namespace Fleet.Domain.Expressions.Cel;

/// <summary>
/// The comprehension macros over a list's elements or a map's keys, with CEL's error rules: <c>all</c>
/// and <c>exists</c> combine like <c>&amp;&amp;</c> and <c>||</c> (a deciding element wins over errors
/// from others), while <c>exists_one</c>, <c>map</c> and <c>filter</c> fail on any error.
/// </summary>
internal sealed class ComprehensionStep(int offset, MacroKind kind, Step range, int slot, Step? predicate, Step? transform) : Step(offset)
{
    protected override object? Eval(CelFrame frame)
    {
        var source = range.Evaluate(frame);
        if (source is CelError)
        {
            return source;
        }

        IEnumerable<object?> items;
        switch (CelValues.KindOf(source))
        {
            case CelValueKind.List:
                items = Elements(source!);
                break;
            case CelValueKind.Map:
                items = CelMaps.Keys(source!);
                break;
            default:
                return Error($"{Name} cannot iterate over a value of type {CelValues.TypeName(source)}");
        }

        return kind switch
        {
            MacroKind.All or MacroKind.Exists => Quantify(frame, items, decisive: kind == MacroKind.Exists),
            MacroKind.ExistsOne => ExistsOne(frame, items),
            _ => Collect(frame, items),
        };
    }

    private string Name => kind switch
    {
        MacroKind.All => "all()",
        MacroKind.Exists => "exists()",
        MacroKind.ExistsOne => "exists_one()",
        MacroKind.Map => "map()",
        _ => "filter()",
    };

    private static IEnumerable<object?> Elements(object list)
    {
        var count = CelLists.Count(list);
        for (var i = 0; i < count; i++)
        {
            yield return CelLists.Get(list, i);
        }
    }

    /// <summary><c>all</c> (decisive false) and <c>exists</c> (decisive true).</summary>
    private object? Quantify(CelFrame frame, IEnumerable<object?> items, bool decisive)
    {
        object? failure = null;
        foreach (var item in items)
        {
            frame.Locals[slot] = item;
            var result = predicate!.Evaluate(frame);
            if (result is bool b)
            {
                if (b == decisive)
                {
                    return decisive;
                }

                continue;
            }

            failure ??= result is CelError ? result : Error($"the predicate of {Name} must give a bool, not {CelValues.TypeName(result)}");
        }

        return failure ?? !decisive;
    }

    private object? ExistsOne(CelFrame frame, IEnumerable<object?> items)
    {
        var count = 0;
        foreach (var item in items)
        {
            frame.Locals[slot] = item;
            switch (predicate!.Evaluate(frame))
            {
                case true:
                    count++;
                    break;
                case false:
                    break;
                case CelError error:
                    return error;
                case var other:
                    return Error($"the predicate of exists_one() must give a bool, not {CelValues.TypeName(other)}");
            }
        }

        return count == 1;
    }

    /// <summary><c>map</c> and <c>filter</c>.</summary>
    private object? Collect(CelFrame frame, IEnumerable<object?> items)
    {
        var results = new List<object?>();
        foreach (var item in items)
        {
            frame.Locals[slot] = item;
            if (predicate is not null)
            {
                switch (predicate.Evaluate(frame))
                {
                    case false:
                        continue;
                    case true:
                        break;
                    case CelError error:
                        return error;
                    case var other:
                        return Error($"the predicate of {Name} must give a bool, not {CelValues.TypeName(other)}");
                }
            }

            var value = transform is null ? item : transform.Evaluate(frame);
            if (value is CelError)
            {
                return value;
            }

            if (results.Count >= frame.Limits.MaxListLength)
            {
                throw new CelLimitException($"{Name} would build a list of more than {frame.Limits.MaxListLength} elements", Offset);
            }

            results.Add(value);
        }

        return results;
    }
}
