using System.Globalization;

namespace Fleet.Domain.Expressions.Cel;

/// <summary>
/// <c>operand[index]</c>: a list position (an int, a uint, or a double with no fraction) or a map key
/// (string, int, uint, bool; a double finds the equal integer key).
/// </summary>
internal sealed class IndexStep(int offset, Step operand, Step index) : Step(offset)
{
    protected override object? Eval(CelFrame frame)
    {
        var container = operand.Evaluate(frame);
        if (container is CelError)
        {
            return container;
        }

        var key = index.Evaluate(frame);
        if (key is CelError)
        {
            return key;
        }

        switch (CelValues.KindOf(container))
        {
            case CelValueKind.List:
                return ElementAt(container!, key);
            case CelValueKind.Map:
                if (!CelMaps.IsKeyKind(key))
                {
                    return Error($"a map key cannot be of type {CelValues.TypeName(key)}");
                }

                return CelMaps.TryGet(container!, key, out var value) ? value : Error($"no such key: {Describe(key)}");
            default:
                return Error($"no matching overload for '[]' applied to ({CelValues.TypeName(container)}, {CelValues.TypeName(key)})");
        }
    }

    private object? ElementAt(object list, object? key)
    {
        long position;
        switch (key)
        {
            case long l:
                position = l;
                break;
            case ulong u:
                position = u > long.MaxValue ? long.MaxValue : (long)u;
                break;
            case double d when d == Math.Floor(d) && Math.Abs(d) < 9.2233720368547758E18:
                position = (long)d;
                break;
            case double d:
                return Error($"invalid list index {CelFormat.Double(d)}: not an integer");
            default:
                return Error($"a list index must be an int, not {CelValues.TypeName(key)}");
        }

        var count = CelLists.Count(list);
        return position >= 0 && position < count
            ? CelLists.Get(list, (int)position)
            : Error($"index {position.ToString(CultureInfo.InvariantCulture)} out of range (list has {count.ToString(CultureInfo.InvariantCulture)} elements)");
    }

    private static string Describe(object? key) => key switch
    {
        string s => s,
        _ => CelFormat.ToText(key) ?? "",
    };
}
