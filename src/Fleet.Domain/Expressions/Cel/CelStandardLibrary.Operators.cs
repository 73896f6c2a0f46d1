namespace Fleet.Domain.Expressions.Cel;

/// <summary>Arithmetic (int and uint overflow is an error, not a wrap), comparison, logical not and <c>in</c>.</summary>
internal static partial class CelStandardLibrary
{
    private static readonly CelError IntOverflow = new("integer overflow");
    private static readonly CelError UintOverflow = new("unsigned integer overflow");
    private static readonly CelError DivideByZero = new("division by zero");
    private static readonly CelError ModulusByZero = new("modulus by zero");

    private static void AddOperators(Dictionary<string, List<CelOverload>> t)
    {
        CelType i = CelType.Int, u = CelType.Uint, d = CelType.Double, s = CelType.String, b = CelType.Bytes, bo = CelType.Bool;

        Global(t, CelOperators.Add, [i, i], i, (a, _) => Checked(() => checked((long)a[0]! + (long)a[1]!), IntOverflow));
        Global(t, CelOperators.Add, [u, u], u, (a, _) => Checked(() => checked((ulong)a[0]! + (ulong)a[1]!), UintOverflow));
        Global(t, CelOperators.Add, [d, d], d, (a, _) => (double)a[0]! + (double)a[1]!);
        Global(t, CelOperators.Add, [s, s], s, (a, f) => ConcatText(f, (string)a[0]!, (string)a[1]!));
        Global(t, CelOperators.Add, [b, b], b, (a, f) => ConcatBytes(f, (CelBytes)a[0]!, (CelBytes)a[1]!));
        Global(t, CelOperators.Add, [ListOfA, ListOfA], ListOfA, (a, f) => ConcatLists(f, a[0]!, a[1]!));

        Global(t, CelOperators.Subtract, [i, i], i, (a, _) => Checked(() => checked((long)a[0]! - (long)a[1]!), IntOverflow));
        Global(t, CelOperators.Subtract, [u, u], u, (a, _) => Checked(() => checked((ulong)a[0]! - (ulong)a[1]!), UintOverflow));
        Global(t, CelOperators.Subtract, [d, d], d, (a, _) => (double)a[0]! - (double)a[1]!);

        Global(t, CelOperators.Multiply, [i, i], i, (a, _) => Checked(() => checked((long)a[0]! * (long)a[1]!), IntOverflow));
        Global(t, CelOperators.Multiply, [u, u], u, (a, _) => Checked(() => checked((ulong)a[0]! * (ulong)a[1]!), UintOverflow));
        Global(t, CelOperators.Multiply, [d, d], d, (a, _) => (double)a[0]! * (double)a[1]!);

        Global(t, CelOperators.Divide, [i, i], i, (a, _) => DivideInt((long)a[0]!, (long)a[1]!));
        Global(t, CelOperators.Divide, [u, u], u, (a, _) => (ulong)a[1]! == 0 ? DivideByZero : (ulong)a[0]! / (ulong)a[1]!);
        Global(t, CelOperators.Divide, [d, d], d, (a, _) => (double)a[0]! / (double)a[1]!);

        Global(t, CelOperators.Modulo, [i, i], i, (a, _) => ModuloInt((long)a[0]!, (long)a[1]!));
        Global(t, CelOperators.Modulo, [u, u], u, (a, _) => (ulong)a[1]! == 0 ? ModulusByZero : (ulong)a[0]! % (ulong)a[1]!);

        Global(t, CelOperators.Negate, [i], i, (a, _) => (long)a[0]! == long.MinValue ? IntOverflow : -(long)a[0]!);
        Global(t, CelOperators.Negate, [d], d, (a, _) => -(double)a[0]!);

        Global(t, CelOperators.Not, [bo], bo, (a, _) => !(bool)a[0]!);

        // Equality is defined for every pair of values (heterogeneous: different sorts are simply unequal).
        Global(t, CelOperators.Equal, [CelType.Dyn, CelType.Dyn], bo, (a, f) => EqualCharged(f, a[0], a[1]));
        Global(t, CelOperators.NotEqual, [CelType.Dyn, CelType.Dyn], bo, (a, f) => !EqualCharged(f, a[0], a[1]));

        CelType[] ordered = [bo, s, b];
        CelType[] numbers = [i, u, d];
        foreach (var (name, test) in new (string, Func<int, bool>)[]
        {
            (CelOperators.Less, c => c < 0),
            (CelOperators.LessEqual, c => c <= 0),
            (CelOperators.Greater, c => c > 0),
            (CelOperators.GreaterEqual, c => c >= 0),
        })
        {
            CelFunction body = (a, f) =>
            {
                ChargeText(f, TextLength(a[0]) + TextLength(a[1]));
                // Only a NaN leaves numbers unordered: every comparison with it is false.
                return CelValues.Compare(a[0], a[1]) is { } c && test(c);
            };
            foreach (var type in ordered)
            {
                Global(t, name, [type, type], bo, body);
            }

            foreach (var left in numbers)
            {
                foreach (var right in numbers)
                {
                    Global(t, name, [left, right], bo, body);
                }
            }
        }

        Global(t, CelOperators.In, [A, ListOfA], bo, (a, f) => InList(f, a[0], a[1]!));
        Global(t, CelOperators.In, [A, MapOfAB], bo, (a, _) => CelMaps.IsKeyKind(a[0]) && CelMaps.TryGet(a[1]!, a[0], out object? _));
    }

    private static object Checked<T>(Func<T> operation, CelError overflow)
        where T : notnull
    {
        try
        {
            return operation();
        }
        catch (OverflowException)
        {
            return overflow;
        }
    }

    private static object DivideInt(long x, long y) => y switch
    {
        0 => DivideByZero,
        -1 when x == long.MinValue => IntOverflow,
        _ => x / y,
    };

    private static object ModuloInt(long x, long y) => y switch
    {
        0 => ModulusByZero,
        -1 when x == long.MinValue => IntOverflow,
        _ => x % y,
    };

    private static object ConcatText(CelFrame frame, string left, string right)
    {
        if ((long)left.Length + right.Length > frame.Limits.MaxStringLength)
        {
            throw new CelLimitException($"string would be longer than {frame.Limits.MaxStringLength} characters", frame.CallOffset);
        }

        ChargeText(frame, left.Length + right.Length);
        return string.Concat(left, right);
    }

    private static object ConcatBytes(CelFrame frame, CelBytes left, CelBytes right)
    {
        if ((long)left.Length + right.Length > frame.Limits.MaxStringLength)
        {
            throw new CelLimitException($"bytes would be longer than {frame.Limits.MaxStringLength}", frame.CallOffset);
        }

        ChargeText(frame, left.Length + right.Length);
        return left.Concat(right);
    }

    private static object ConcatLists(CelFrame frame, object left, object right)
    {
        var l = CelLists.Count(left);
        var r = CelLists.Count(right);
        if ((long)l + r > frame.Limits.MaxListLength)
        {
            throw new CelLimitException($"list would have more than {frame.Limits.MaxListLength} elements", frame.CallOffset);
        }

        frame.Charge(l + r);
        var joined = new List<object?>(l + r);
        for (var k = 0; k < l; k++)
        {
            joined.Add(CelLists.Get(left, k));
        }

        for (var k = 0; k < r; k++)
        {
            joined.Add(CelLists.Get(right, k));
        }

        return joined;
    }

    private static bool EqualCharged(CelFrame frame, object? left, object? right)
    {
        frame.Charge(Size(left) + Size(right));
        return CelValues.Equal(left, right);
    }

    private static bool InList(CelFrame frame, object? item, object list)
    {
        var count = CelLists.Count(list);
        for (var k = 0; k < count; k++)
        {
            var element = CelLists.Get(list, k);
            frame.Charge(1 + Size(element));
            if (CelValues.Equal(item, element))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A cheap, shallow measure of the work comparing a value takes.</summary>
    private static long Size(object? value) => value switch
    {
        string s => s.Length / 16,
        CelBytes b => b.Length / 16,
        null or bool or long or ulong or double => 0,
        _ => CelValues.KindOf(value) switch
        {
            CelValueKind.List => CelLists.Count(value),
            CelValueKind.Map => CelMaps.Count(value),
            _ => 0,
        },
    };

    private static long TextLength(object? value) => value switch
    {
        string s => s.Length,
        CelBytes b => b.Length,
        _ => 0,
    };
}
