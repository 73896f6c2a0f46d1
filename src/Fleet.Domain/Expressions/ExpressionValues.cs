using System.Collections;

namespace Fleet.Domain.Expressions;

/// <summary>
/// The operations of the value model that the engine needs: type names for messages, CEL's
/// heterogeneous equality, and key/element lookup. Callers may hand in any CLR integer or
/// dictionary shape (e.g. <c>IReadOnlyDictionary&lt;string, string&gt;</c> labels), so lookups are
/// written against the non-generic interfaces as a fallback.
/// </summary>
internal static class ExpressionValues
{
    public static string TypeName(object? value) => value switch
    {
        null => "null_type",
        string => "string",
        bool => "bool",
        _ when IsInteger(value) => "int",
        double or float or decimal => "double",
        _ when IsMap(value) => "map",
        _ when IsList(value) => "list",
        _ => value.GetType().Name,
    };

    public static bool IsMap(object? value) => value is IReadOnlyDictionary<string, object?> or IReadOnlyDictionary<string, string> or IDictionary;

    public static bool IsList(object? value) => value is not string && value is IReadOnlyList<object?> or IList;

    /// <summary>Looks <paramref name="key"/> up; false when <paramref name="map"/> is a map without that key.</summary>
    public static bool TryGetKey(object? map, string key, out object? value)
    {
        switch (map)
        {
            case IReadOnlyDictionary<string, object?> d:
                return d.TryGetValue(key, out value);
            case IReadOnlyDictionary<string, string> s:
                var found = s.TryGetValue(key, out var text);
                value = text;
                return found;
            case IDictionary n when n.Contains(key):
                value = n[key];
                return true;
            default:
                value = null;
                return false;
        }
    }

    public static int Count(object? list) => list switch
    {
        IReadOnlyList<object?> l => l.Count,
        IList n => n.Count,
        _ => 0,
    };

    public static object? ElementAt(object? list, int index) => list switch
    {
        IReadOnlyList<object?> l => l[index],
        IList n => n[index],
        _ => null,
    };

    public static bool IsInteger(object? value) => value is long or int or short or sbyte or byte or ushort or uint or ulong;

    /// <summary>CEL equality: numbers compare by value across int and double, other differing types are simply unequal.</summary>
    public static bool AreEqual(object? left, object? right)
    {
        if (left is null || right is null)
        {
            return left is null && right is null;
        }

        if (IsNumber(left) && IsNumber(right))
        {
            if (IsInteger(left) && IsInteger(right))
            {
                return left is ulong || right is ulong
                    ? Convert.ToDecimal(left, System.Globalization.CultureInfo.InvariantCulture) == Convert.ToDecimal(right, System.Globalization.CultureInfo.InvariantCulture)
                    : Convert.ToInt64(left, System.Globalization.CultureInfo.InvariantCulture) == Convert.ToInt64(right, System.Globalization.CultureInfo.InvariantCulture);
            }

            return Convert.ToDouble(left, System.Globalization.CultureInfo.InvariantCulture) == Convert.ToDouble(right, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (left is string ls)
        {
            return right is string rs && string.Equals(ls, rs, StringComparison.Ordinal);
        }

        if (left is bool lb)
        {
            return right is bool rb && lb == rb;
        }

        if (IsList(left))
        {
            return IsList(right) && ListsEqual(left, right);
        }

        if (IsMap(left))
        {
            return IsMap(right) && MapsEqual(left, right);
        }

        return left.Equals(right);
    }

    private static bool IsNumber(object value) => IsInteger(value) || value is double or float or decimal;

    private static bool ListsEqual(object left, object right)
    {
        var count = Count(left);
        if (count != Count(right))
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            if (!AreEqual(ElementAt(left, i), ElementAt(right, i)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool MapsEqual(object left, object right)
    {
        var leftKeys = Keys(left);
        if (leftKeys.Count != Keys(right).Count)
        {
            return false;
        }

        foreach (var key in leftKeys)
        {
            if (!TryGetKey(left, key, out var l) || !TryGetKey(right, key, out var r) || !AreEqual(l, r))
            {
                return false;
            }
        }

        return true;
    }

    public static IReadOnlyList<string> Keys(object? map) => map switch
    {
        IReadOnlyDictionary<string, object?> d => [.. d.Keys],
        IReadOnlyDictionary<string, string> s => [.. s.Keys],
        IDictionary n => [.. n.Keys.Cast<object?>().Select(k => k?.ToString() ?? "")],
        _ => [],
    };
}
