namespace Fleet.Domain.Tests.Expressions.Cel;

/// <summary>Evaluation errors: overflow, division by zero, missing keys and fields, ranges of conversions, no overload; each at its position.</summary>
public sealed class CelEvaluationErrorTests
{
    public static TheoryData<string, string, int> Cases => new()
    {
        // expression, start of the message, offset the error points at
        { "9223372036854775807 + 1", "integer overflow", 20 },
        { "-9223372036854775808 - 1", "integer overflow", 21 },
        { "-(-9223372036854775808)", "integer overflow", 0 },
        { "-9223372036854775808 * -1", "integer overflow", 21 },
        { "-9223372036854775808 / -1", "integer overflow", 21 },
        { "-9223372036854775808 % -1", "integer overflow", 21 },
        { "5000000000 * 5000000000", "integer overflow", 11 },
        { "18446744073709551615u + 1u", "unsigned integer overflow", 22 },
        { "0u - 1u", "unsigned integer overflow", 3 },
        { "5000000000u * 5000000000u", "unsigned integer overflow", 12 },
        { "1 / 0", "division by zero", 2 },
        { "1u / 0u", "division by zero", 3 },
        { "1 % 0", "modulus by zero", 2 },
        { "1u % 0u", "modulus by zero", 3 },
        { "m.zz", "no such key: zz", 2 },
        { "m['zz']", "no such key: zz", 1 },
        { "{1: 'a'}[2]", "no such key: 2", 8 },
        { "{1: 'a'}[1.5]", "no such key: 1.5", 8 },
        { "m[dyn([])]", "a map key cannot be of type list", 1 },
        { "l[3]", "index 3 out of range (list has 3 elements)", 1 },
        { "l[-1]", "index -1 out of range", 1 },
        { "l[dyn(0.5)]", "invalid list index 0.5", 1 },
        { "l[dyn('0')]", "a list index must be an int, not string", 1 },
        { "dyn(s).foo", "no such field 'foo': a value of type string has no fields", 7 },
        { "dyn(s)[0]", "no matching overload for '[]' applied to (string, int)", 6 },
        { "has(dyn(s).foo)", "has() cannot test field 'foo'", 11 },
        { "int(18446744073709551615u)", "int() out of range", 0 },
        { "int(9223372036854775807.0)", "int() out of range", 0 },
        { "int(-9223372036854775808.0)", "int() out of range", 0 },
        { "int(1e99)", "int() out of range", 0 },
        { "int(0.0 / 0.0)", "int() out of range", 0 },
        { "int('1.5')", "int() cannot convert '1.5'", 0 },
        { "int(' 1')", "int() cannot convert", 0 },
        { "uint(-1)", "uint() out of range", 0 },
        { "uint(-0.5)", "uint() out of range", 0 },
        { "uint(1.8446744073709552e19)", "uint() out of range", 0 },
        { "uint('-1')", "uint() cannot convert", 0 },
        { "double('one')", "double() cannot convert", 0 },
        { "bool('yes')", "bool() cannot convert", 0 },
        { "string(b'\\xff')", "string() cannot convert bytes that are not valid UTF-8", 0 },
        { "dyn(1) + 'a'", "no matching overload for '+' applied to (int, string)", 7 },
        { "dyn(1) + 1u", "no matching overload for '+' applied to (int, uint)", 7 },
        { "-dyn(1u)", "no matching overload for '-' applied to (uint)", 0 },
        { "!dyn(0)", "no matching overload for '!' applied to (int)", 0 },
        { "dyn([1]) < dyn([2])", "no matching overload for '<' applied to (list, list)", 9 },
        { "dyn(null) < dyn(null)", "no matching overload for '<' applied to (null_type, null_type)", 10 },
        { "dyn('a') < dyn(1)", "no matching overload for '<' applied to (string, int)", 9 },
        { "dyn(1.5) % dyn(1.0)", "no matching overload for '%' applied to (double, double)", 9 },
        { "dyn('a') ? 1 : 2", "the condition of '?:' must be a bool, not string", 9 },
        { "size(dyn(1))", "no matching overload for 'size' applied to (int)", 0 },
        { "dyn(1).all(x, true)", "all() cannot iterate over a value of type int", 7 },
        { "[1].all(x, dyn(x))", "the predicate of all() must give a bool, not int", 4 },
        { "[1].filter(x, dyn(x))", "the predicate of filter() must give a bool, not int", 4 },
        { "{'a': 1, 'a': 2}", "repeated map key: a", 9 },
        { "{1: 1, 1u: 2}", "repeated map key: 1", 7 },
        { "{dyn(1.5): 1}", "a map key cannot be of type double", 1 },
        { "'a' + string(1 / 0) + 'b'", "division by zero", 15 },
        { "target.name", "unknown variable 'target'", 0 },
        { "'x'.matches(dyn('('))", "invalid regular expression '('", 4 },
        { "'x'.matches(dyn('(a)\\\\1'))", "invalid regular expression '(a)\\1': backreferences", 4 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_Failing_ThrowsWithMessageAndPosition(string expression, string message, int offset)
    {
        var engine = new Fleet.Domain.Expressions.Cel.CelEngine(Fleet.Domain.Expressions.Cel.CelEnvironment.Empty
            .WithVariables(Cel.Vars.Select(kv => KeyValuePair.Create(kv.Key, Fleet.Domain.Expressions.Cel.CelType.Of(kv.Value))))
            .WithUndeclaredVariables(true));
        var error = Cel.EvalError(expression, engine: engine);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(offset, error.Offset);
    }
}
