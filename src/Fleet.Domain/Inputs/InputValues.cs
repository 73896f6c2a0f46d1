using System.Globalization;
using System.Text;
using Fleet.Domain.Expressions;
using Fleet.Domain.Serialization;

namespace Fleet.Domain.Inputs;

/// <summary>How input values and their places read in messages, and the small comparisons the markers need.</summary>
internal static class InputValues
{
    private const int MaxShownLength = 64;

    /// <summary>A value as a message shows it: <c>string "3"</c>, <c>3.5</c>, <c>true</c>, <c>a list</c>, <c>null</c>.</summary>
    public static string Describe(object? value) => value switch
    {
        null => "null",
        string s => "string " + Quote(s),
        bool b => b ? "true" : "false",
        double or float => ValueJson.SerializeResult(value),
        _ when ExpressionValues.IsInteger(value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        _ when ExpressionValues.IsMap(value) => "a mapping",
        _ when ExpressionValues.IsList(value) => "a list",
        _ => ExpressionValues.TypeName(value),
    };

    /// <summary>A value of an input's own type as a message shows it: strings quoted, numbers as written.</summary>
    public static string Show(object? value) => value is string s ? Quote(s) : ValueJson.SerializeResult(value);

    /// <summary>A string in double quotes, shortened when long: messages must stay readable whatever was given.</summary>
    public static string Quote(string s)
    {
        var shown = s.Length > MaxShownLength ? s[..MaxShownLength] + "…" : s;
        return new CanonicalJsonWriter().String(shown).ToString();
    }

    /// <summary><c>spec.inputs.db.port</c>, <c>spec.inputs.tags[2]</c>, <c>spec.inputs.env["a.b"]</c>.</summary>
    public static string PathOf(string root, IEnumerable<object> segments)
    {
        var builder = new StringBuilder(root);
        foreach (var segment in segments)
        {
            if (segment is int index)
            {
                builder.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
            else if (segment is string key && InputNames.IsPlain(key))
            {
                builder.Append('.').Append(key);
            }
            else
            {
                builder.Append('[').Append(new CanonicalJsonWriter().String((string)segment).ToString()).Append(']');
            }
        }

        return builder.ToString();
    }

    /// <summary>Characters as people and CEL's <c>size()</c> count them: Unicode code points, not UTF-16 units.</summary>
    public static int CodePoints(string s)
    {
        var count = 0;
        foreach (var _ in s.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    /// <summary>Compares two numbers of one input type: both <c>long</c> (integer) or both <c>double</c> (number).</summary>
    public static int Compare(object a, object b) => (a, b) switch
    {
        (long x, long y) => x.CompareTo(y),
        _ => Convert.ToDouble(a, CultureInfo.InvariantCulture).CompareTo(Convert.ToDouble(b, CultureInfo.InvariantCulture)),
    };

    /// <summary>Equality of two scalars of one input type, for <c>enum</c>.</summary>
    public static bool Same(object a, object b) => (a, b) switch
    {
        (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
        (bool x, bool y) => x == y,
        (long x, long y) => x == y,
        (double x, double y) => x.Equals(y),
        _ => false,
    };
}
