using System.Collections;

namespace Fleet.Domain.Expressions.Cel;

/// <summary>
/// Reads any map shape a caller may hand in (string-keyed maps of values or of strings, the object-keyed
/// maps CEL literals with int/uint/bool keys build, non-generic dictionaries) with CEL's key semantics:
/// a <c>double</c> key finds the int or uint of the same value, an int finds the equal uint.
/// </summary>
internal static class CelMaps
{
    public static int Count(object map) => map switch
    {
        IReadOnlyDictionary<string, object?> d => d.Count,
        IReadOnlyDictionary<object, object?> o => o.Count,
        IReadOnlyDictionary<string, string> s => s.Count,
        IDictionary n => n.Count,
        _ => 0,
    };

    /// <summary>The keys, in the map's own order, as values of the model.</summary>
    public static IEnumerable<object?> Keys(object map) => map switch
    {
        IReadOnlyDictionary<string, object?> d => d.Keys,
        IReadOnlyDictionary<object, object?> o => o.Keys,
        IReadOnlyDictionary<string, string> s => s.Keys,
        IDictionary n => n.Keys.Cast<object?>().Select(CelValues.Normalize),
        _ => [],
    };

    /// <summary>Whether <paramref name="key"/> can be a map key at all: string, int, uint, bool, or a double that equals an integer.</summary>
    public static bool IsKeyKind(object? key) => key is string or long or ulong or bool or double;

    public static bool TryGet(object map, object? key, out object? value)
    {
        value = null;
        if (!TryNormalizeKey(key, out var normalized))
        {
            return false;
        }

        bool found;
        switch (map)
        {
            case IReadOnlyDictionary<string, object?> d:
                found = normalized is string s1 && d.TryGetValue(s1, out value);
                break;
            case IReadOnlyDictionary<object, object?> o:
                found = o.TryGetValue(normalized, out value);
                break;
            case IReadOnlyDictionary<string, string> s:
                string? text = null;
                found = normalized is string s2 && s.TryGetValue(s2, out text);
                value = text;
                break;
            case IDictionary n:
                found = TryGetNonGeneric(n, normalized, out value);
                break;
            default:
                found = false;
                break;
        }

        value = found ? CelValues.Normalize(value) : null;
        return found;
    }

    /// <summary>A double key stands for the integer of the same value; a fractional one matches no key.</summary>
    private static bool TryNormalizeKey(object? key, out object normalized)
    {
        switch (key)
        {
            case double d when d == Math.Floor(d) && d >= -9.2233720368547758E18 && d < 9.2233720368547758E18:
                normalized = (long)d;
                return true;
            case double d when d == Math.Floor(d) && d >= 0 && d < 1.8446744073709552E19:
                normalized = (ulong)d;
                return true;
            case double:
            case null:
                normalized = "";
                return false;
            default:
                normalized = key;
                return true;
        }
    }

    private static bool TryGetNonGeneric(IDictionary map, object key, out object? value)
    {
        foreach (DictionaryEntry entry in map)
        {
            if (CelMapKeyComparer.Instance.Equals(CelValues.Normalize(entry.Key), key))
            {
                value = entry.Value;
                return true;
            }
        }

        value = null;
        return false;
    }
}
