using System.Collections;
using Fleet.Domain.Expressions.Cel;

namespace Fleet.Domain.Expressions;

/// <summary>
/// Shape tests and lookups over the expression value model for code outside the engine (canonical JSON,
/// rendering messages). Callers may hand in any CLR integer or dictionary shape (e.g.
/// <c>IReadOnlyDictionary&lt;string, string&gt;</c> labels), so lookups fall back to the non-generic interfaces.
/// </summary>
internal static class ExpressionValues
{
    /// <summary>The CEL type name of a value (<c>int</c>, <c>uint</c>, <c>map</c>, <c>null_type</c>, ...).</summary>
    public static string TypeName(object? value) => CelValues.TypeName(value);

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

    public static IReadOnlyList<string> Keys(object? map) => map switch
    {
        IReadOnlyDictionary<string, object?> d => [.. d.Keys],
        IReadOnlyDictionary<string, string> s => [.. s.Keys],
        IDictionary n => [.. n.Keys.Cast<object?>().Select(k => k?.ToString() ?? "")],
        _ => [],
    };
}
