using System.Collections;
using System.Runtime.CompilerServices;

namespace Fleet.Domain.Expressions.Cel;

/// <summary>
/// The value model as CEL sees it: the sort of a value, its run-time type, heterogeneous equality and the
/// ordering of comparable values. Callers may hand in other CLR shapes (an <c>int</c>, a <c>byte[]</c>,
/// labels as <c>IReadOnlyDictionary&lt;string, string&gt;</c>); they are read as the equivalent CEL value.
/// </summary>
internal static class CelValues
{
    /// <summary>Maps CLR scalars onto the model (<c>int</c> to <c>long</c>, <c>float</c> to <c>double</c>, ...); other values pass through.</summary>
    public static object? Normalize(object? value) => value switch
    {
        null or string or long or bool or double or ulong => value,
        int i => (long)i,
        short s => (long)s,
        sbyte sb => (long)sb,
        byte b => (long)b,
        ushort us => (long)us,
        uint ui => (ulong)ui,
        float f => (double)f,
        decimal m => (double)m,
        byte[] bytes => new CelBytes(bytes),
        _ => value,
    };

    public static CelValueKind KindOf(object? value) => value switch
    {
        null => CelValueKind.Null,
        string => CelValueKind.String,
        long => CelValueKind.Int,
        bool => CelValueKind.Bool,
        double => CelValueKind.Double,
        ulong => CelValueKind.Uint,
        CelBytes => CelValueKind.Bytes,
        CelType => CelValueKind.Type,
        IReadOnlyDictionary<string, object?> or IReadOnlyDictionary<object, object?> or IReadOnlyDictionary<string, string> or IDictionary => CelValueKind.Map,
        IReadOnlyList<object?> or IList => CelValueKind.List,
        int or short or sbyte or byte or ushort => CelValueKind.Int,
        uint => CelValueKind.Uint,
        float or decimal => CelValueKind.Double,
        _ => CelValueKind.Other,
    };

    public static CelType TypeOf(object? value) => KindOf(value) switch
    {
        CelValueKind.Null => CelType.Null,
        CelValueKind.Bool => CelType.Bool,
        CelValueKind.Int => CelType.Int,
        CelValueKind.Uint => CelType.Uint,
        CelValueKind.Double => CelType.Double,
        CelValueKind.String => CelType.String,
        CelValueKind.Bytes => CelType.Bytes,
        CelValueKind.List => CelType.ListOfDyn,
        CelValueKind.Map => CelType.MapOfDyn,
        CelValueKind.Type => CelType.Type,
        _ => CelType.Dyn,
    };

    /// <summary>The run-time type name for messages; a CLR type outside the model shows its own name.</summary>
    public static string TypeName(object? value) => KindOf(value) == CelValueKind.Other ? value!.GetType().Name : TypeOf(value).Name;

    /// <summary>
    /// CEL equality: numbers compare by value across int, uint and double (NaN equals nothing), lists
    /// element by element, maps by key set and values, types by name; values of different sorts are unequal.
    /// </summary>
    public static bool Equal(object? left, object? right)
    {
        var lk = KindOf(left);
        var rk = KindOf(right);
        if (IsNumber(lk) && IsNumber(rk))
        {
            return CompareNumbers(Normalize(left)!, Normalize(right)!) == 0;
        }

        if (lk != rk)
        {
            return false;
        }

        switch (lk)
        {
            case CelValueKind.Null:
                return true;
            case CelValueKind.Bool:
                return (bool)left! == (bool)right!;
            case CelValueKind.String:
                return string.Equals((string)left!, (string)right!, StringComparison.Ordinal);
            case CelValueKind.Bytes:
                return ((CelBytes)left!).Equals((CelBytes)right!);
            case CelValueKind.Type:
                return ((CelType)left!).Equals((CelType)right!);
            case CelValueKind.List:
                return ListsEqual(left!, right!);
            case CelValueKind.Map:
                return MapsEqual(left!, right!);
            default:
                return Equals(left, right);
        }
    }

    /// <summary>
    /// The order of two values, or null when CEL defines none (different sorts other than numbers, NaN,
    /// lists, maps, null). Strings order by code point, bytes by unsigned byte.
    /// </summary>
    public static int? Compare(object? left, object? right)
    {
        var lk = KindOf(left);
        var rk = KindOf(right);
        if (IsNumber(lk) && IsNumber(rk))
        {
            return CompareNumbers(Normalize(left)!, Normalize(right)!);
        }

        if (lk != rk)
        {
            return null;
        }

        return lk switch
        {
            CelValueKind.Bool => ((bool)left!).CompareTo((bool)right!),
            CelValueKind.String => CompareCodePoints((string)left!, (string)right!),
            CelValueKind.Bytes => Math.Sign(((CelBytes)left!).CompareTo((CelBytes)right!)),
            _ => null,
        };
    }

    public static bool IsNumber(CelValueKind kind) => kind is CelValueKind.Int or CelValueKind.Uint or CelValueKind.Double;

    /// <summary>Numbers on one line: -1, 0, 1, or null when a NaN is involved. Integers of both types compare exactly.</summary>
    public static int? CompareNumbers(object left, object right) => (left, right) switch
    {
        (long a, long b) => a.CompareTo(b),
        (ulong a, ulong b) => a.CompareTo(b),
        (double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? null : a.CompareTo(b),
        (long a, ulong b) => a < 0 ? -1 : ((ulong)a).CompareTo(b),
        (ulong a, long b) => b < 0 ? 1 : a.CompareTo((ulong)b),
        (long a, double b) => CompareIntDouble(a, b),
        (double a, long b) => -CompareIntDouble(b, a),
        (ulong a, double b) => CompareUintDouble(a, b),
        (double a, ulong b) => -CompareUintDouble(b, a),
        _ => null,
    };

    /// <summary>Ordinal by Unicode code point: UTF-16 order differs from it where a surrogate meets U+E000..U+FFFF.</summary>
    public static int CompareCodePoints(string left, string right)
    {
        var length = Math.Min(left.Length, right.Length);
        for (var i = 0; i < length; i++)
        {
            var a = left[i];
            var b = right[i];
            if (a != b)
            {
                return Math.Sign(CodePointOrder(a) - CodePointOrder(b));
            }
        }

        return left.Length.CompareTo(right.Length);
    }

    /// <summary>The number of Unicode code points (a surrogate pair counts once), which is CEL's <c>size</c> of a string.</summary>
    public static long CodePointCount(string text)
    {
        long count = text.Length;
        for (var i = 0; i + 1 < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && char.IsLowSurrogate(text[i + 1]))
            {
                count--;
                i++;
            }
        }

        return count;
    }

    private static int CodePointOrder(char c) => c >= 0xE000 ? c - 0x800 : c >= 0xD800 ? c + 0x2000 : c;

    /// <summary>
    /// Within the range of the integer type the int is compared as a double, as the reference
    /// implementation does (so 2^63-1 equals 2^63 as a double); outside it the answer is known.
    /// </summary>
    private static int? CompareIntDouble(long a, double b)
    {
        if (double.IsNaN(b))
        {
            return null;
        }

        if (b < -9.2233720368547758E18)
        {
            return 1;
        }

        return b > 9.2233720368547758E18 ? -1 : ((double)a).CompareTo(b);
    }

    private static int? CompareUintDouble(ulong a, double b)
    {
        if (double.IsNaN(b))
        {
            return null;
        }

        if (b < 0)
        {
            return 1;
        }

        return b > 1.8446744073709552E19 ? -1 : ((double)a).CompareTo(b);
    }

    private static bool ListsEqual(object left, object right)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        var count = CelLists.Count(left);
        if (count != CelLists.Count(right))
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            if (!Equal(CelLists.Get(left, i), CelLists.Get(right, i)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool MapsEqual(object left, object right)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        if (CelMaps.Count(left) != CelMaps.Count(right))
        {
            return false;
        }

        foreach (var key in CelMaps.Keys(left))
        {
            if (!CelMaps.TryGet(right, key, out var r) || !CelMaps.TryGet(left, key, out var l) || !Equal(l, r))
            {
                return false;
            }
        }

        return true;
    }
}
