using System.Collections.Frozen;

namespace Fleet.Domain.Expressions.Cel;

/// <summary>
/// The functions and operators of CEL's standard environment, each a set of overloads. One table serves
/// both the checker (static signatures) and the evaluator (bodies), so the two cannot disagree.
/// </summary>
internal static partial class CelStandardLibrary
{
    private static readonly CelType A = CelType.Parameter("A");
    private static readonly CelType B = CelType.Parameter("B");
    private static readonly CelType ListOfA = CelType.List(A);
    private static readonly CelType MapOfAB = CelType.Map(A, B);

    private static readonly FrozenDictionary<string, CelOverload[]> Functions = Build();

    /// <summary>The overloads of <paramref name="function"/> (empty when there is no such function).</summary>
    public static IReadOnlyList<CelOverload> Lookup(string function) =>
        Functions.TryGetValue(function, out var overloads) ? overloads : [];

    private static FrozenDictionary<string, CelOverload[]> Build()
    {
        var table = new Dictionary<string, List<CelOverload>>(StringComparer.Ordinal);
        AddOperators(table);
        AddStringFunctions(table);
        AddConversions(table);
        return table.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
    }

    private static void Global(Dictionary<string, List<CelOverload>> table, string name, CelType[] parameters, CelType result, CelFunction body) =>
        Add(table, name, new CelOverload(isReceiver: false, parameters, result, body));

    private static void Receiver(Dictionary<string, List<CelOverload>> table, string name, CelType[] parameters, CelType result, CelFunction body) =>
        Add(table, name, new CelOverload(isReceiver: true, parameters, result, body));

    private static void Add(Dictionary<string, List<CelOverload>> table, string name, CelOverload overload)
    {
        if (!table.TryGetValue(name, out var list))
        {
            table[name] = list = [];
        }

        list.Add(overload);
    }

    /// <summary>Strings and bytes cost one unit per 16 characters built or scanned, on top of the step.</summary>
    private static void ChargeText(CelFrame frame, long length) => frame.Charge(length / 16);

    private static object CheckedText(CelFrame frame, string text)
    {
        ChargeText(frame, text.Length);
        return text.Length > frame.Limits.MaxStringLength
            ? throw new CelLimitException($"string would be longer than {frame.Limits.MaxStringLength} characters", frame.CallOffset)
            : text;
    }
}
