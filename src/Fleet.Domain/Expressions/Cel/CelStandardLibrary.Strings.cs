namespace Fleet.Domain.Expressions.Cel;

/// <summary><c>size</c>, and the string tests <c>contains</c>, <c>startsWith</c>, <c>endsWith</c>, <c>matches</c>.</summary>
internal static partial class CelStandardLibrary
{
    private static void AddStringFunctions(Dictionary<string, List<CelOverload>> t)
    {
        CelType s = CelType.String, i = CelType.Int, bo = CelType.Bool;

        // size and matches exist in both call styles, size(x) and x.size(): one body, declared twice.
        foreach (var add in new Action<string, CelType[], CelType, CelFunction>[] { (n, p, r, f) => Global(t, n, p, r, f), (n, p, r, f) => Receiver(t, n, p, r, f) })
        {
            add("size", [s], i, (a, f) =>
            {
                ChargeText(f, ((string)a[0]!).Length);
                return CelValues.CodePointCount((string)a[0]!);
            });
            add("size", [CelType.Bytes], i, (a, _) => (long)((CelBytes)a[0]!).Length);
            add("size", [ListOfA], i, (a, _) => (long)CelLists.Count(a[0]!));
            add("size", [MapOfAB], i, (a, _) => (long)CelMaps.Count(a[0]!));
            add("matches", [s, s], bo, (a, f) => Matches(f, (string)a[0]!, (string)a[1]!));
        }

        Receiver(t, "contains", [s, s], bo, (a, f) => Scan(f, a, (x, y) => x.Contains(y, StringComparison.Ordinal)));
        Receiver(t, "startsWith", [s, s], bo, (a, f) => Scan(f, a, (x, y) => x.StartsWith(y, StringComparison.Ordinal)));
        Receiver(t, "endsWith", [s, s], bo, (a, f) => Scan(f, a, (x, y) => x.EndsWith(y, StringComparison.Ordinal)));
    }

    private static object Scan(CelFrame frame, object?[] args, Func<string, string, bool> test)
    {
        var text = (string)args[0]!;
        var part = (string)args[1]!;
        ChargeText(frame, text.Length + part.Length);
        return test(text, part);
    }

    private static object Matches(CelFrame frame, string text, string pattern)
    {
        var regex = CelRegex.Compile(pattern, frame.Limits, out var error);
        if (regex is null)
        {
            return new CelError(error!);
        }

        ChargeText(frame, text.Length);
        return CelRegex.IsMatch(regex, text);
    }
}
