namespace Fleet.Domain.Expressions.Cel;

/// <summary>
/// The type conversions <c>int</c>, <c>uint</c>, <c>double</c>, <c>string</c>, <c>bool</c>, <c>bytes</c>,
/// <c>dyn</c> and <c>type</c>. A value that does not fit the target type is an error, never a wrap or clamp.
/// </summary>
internal static partial class CelStandardLibrary
{
    private static void AddConversions(Dictionary<string, List<CelOverload>> t)
    {
        CelType i = CelType.Int, u = CelType.Uint, d = CelType.Double, s = CelType.String, b = CelType.Bytes, bo = CelType.Bool;

        Global(t, "int", [i], i, (a, _) => a[0]);
        Global(t, "int", [u], i, (a, _) => (ulong)a[0]! > long.MaxValue ? new CelError("int() out of range: the uint is larger than the largest int") : (long)(ulong)a[0]!);
        Global(t, "int", [d], i, (a, _) => DoubleToInt((double)a[0]!));
        Global(t, "int", [s], i, (a, _) => CelFormat.TryParseInt((string)a[0]!, out var v) ? v : new CelError($"int() cannot convert '{(string)a[0]!}'"));

        Global(t, "uint", [u], u, (a, _) => a[0]);
        Global(t, "uint", [i], u, (a, _) => (long)a[0]! < 0 ? new CelError("uint() out of range: the int is negative") : (ulong)(long)a[0]!);
        Global(t, "uint", [d], u, (a, _) => DoubleToUint((double)a[0]!));
        Global(t, "uint", [s], u, (a, _) => CelFormat.TryParseUint((string)a[0]!, out var v) ? v : new CelError($"uint() cannot convert '{(string)a[0]!}'"));

        Global(t, "double", [d], d, (a, _) => a[0]);
        Global(t, "double", [i], d, (a, _) => (double)(long)a[0]!);
        Global(t, "double", [u], d, (a, _) => (double)(ulong)a[0]!);
        Global(t, "double", [s], d, (a, _) => CelFormat.TryParseDouble((string)a[0]!, out var v) ? v : new CelError($"double() cannot convert '{(string)a[0]!}'"));

        Global(t, "string", [s], s, (a, _) => a[0]);
        foreach (var from in new[] { bo, i, u, d })
        {
            Global(t, "string", [from], s, (a, _) => CelFormat.ToText(a[0])!);
        }

        Global(t, "string", [b], s, (a, f) =>
        {
            ChargeText(f, ((CelBytes)a[0]!).Length);
            return CelFormat.TryDecodeUtf8((CelBytes)a[0]!, out var text) ? text : new CelError("string() cannot convert bytes that are not valid UTF-8");
        });

        Global(t, "bool", [bo], bo, (a, _) => a[0]);
        Global(t, "bool", [s], bo, (a, _) => CelFormat.ParseBool((string)a[0]!) is { } v ? v : new CelError($"bool() cannot convert '{(string)a[0]!}'"));

        Global(t, "bytes", [b], b, (a, _) => a[0]);
        Global(t, "bytes", [s], b, (a, f) =>
        {
            ChargeText(f, ((string)a[0]!).Length);
            return CelBytes.FromUtf8((string)a[0]!);
        });

        Global(t, "dyn", [A], CelType.Dyn, (a, _) => a[0]);
        Global(t, "type", [A], CelType.Type, (a, _) => CelValues.TypeOf(a[0]));
    }

    /// <summary>Truncates toward zero; the range is open at both ends because ±2^63 do not fit.</summary>
    private static object DoubleToInt(double value) =>
        double.IsNaN(value) || value <= -9.2233720368547758E18 || value >= 9.2233720368547758E18
            ? new CelError($"int() out of range: {CelFormat.Double(value)}")
            : (long)value;

    private static object DoubleToUint(double value) =>
        double.IsNaN(value) || value < 0 || value >= 1.8446744073709552E19
            ? new CelError($"uint() out of range: {CelFormat.Double(value)}")
            : (ulong)value;
}
