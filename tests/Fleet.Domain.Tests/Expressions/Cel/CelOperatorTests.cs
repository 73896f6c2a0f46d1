namespace Fleet.Domain.Tests.Expressions.Cel;

/// <summary>Every operator, CEL's precedence and associativity, and heterogeneous numeric equality and ordering.</summary>
public sealed class CelOperatorTests
{
    public static TheoryData<string, string> Arithmetic => new()
    {
        { "40 + 2", "42" },
        { "2 - 5", "-3" },
        { "6 * 7", "42" },
        { "7 / 2", "3" },
        { "-7 / 2", "-3" },
        { "7 % 3", "1" },
        { "-7 % 3", "-1" },
        { "7 % -3", "1" },
        { "-(5)", "-5" },
        { "--5", "5" },
        { "-i", "-7" },
        { "1u + 2u", "3" },
        { "10u - 3u", "7" },
        { "6u * 7u", "42" },
        { "7u / 2u", "3" },
        { "7u % 4u", "3" },
        { "0.5 + 0.25", "0.75" },
        { "1.5 - 2.0", "-0.5" },
        { "1.5 * 2.0", "3.0" },
        { "1.0 / 4.0", "0.25" },
        { "-d", "-2.5" },
        { "-(0.0)", "-0.0" },
        { "1.0 / 0.0", "\"Infinity\"" },
        { "-1.0 / 0.0", "\"-Infinity\"" },
        { "0.0 / 0.0", "\"NaN\"" },
        { "'ab' + 'cd'", "\"abcd\"" },
        { "b'ab' + b'cd'", "\"YWJjZA==\"" },
        { "[1] + [2, 'x']", "[1,2,\"x\"]" },
        { "[] + []", "[]" },
        { "9223372036854775807 + 0", "9223372036854775807" },
        { "-9223372036854775808", "-9223372036854775808" },
        { "-9223372036854775807 - 1", "-9223372036854775808" },
        { "18446744073709551615u", "18446744073709551615" },
        { "0x10 + 0X1f", "47" },
        { "0xFFu", "255" },
        { "clr + 1", "6" },
    };

    [Theory]
    [MemberData(nameof(Arithmetic))]
    public void Evaluate_Arithmetic_GivesValue(string expression, string expected) => Assert.Equal(expected, Cel.Json(expression));

    public static TheoryData<string, bool> Relations => new()
    {
        { "1 == 1", true },
        { "1 != 1", false },
        { "1 == 1.0", true },
        { "1 == 1u", true },
        { "1u == 1.0", true },
        { "dyn(1) == 1.5", false },
        { "2 != 2.5", true },
        { "-1 == 18446744073709551615u", false },
        { "0.0 / 0.0 == 0.0 / 0.0", false },
        { "0.0 / 0.0 != 0.0 / 0.0", true },
        { "0.0 == -0.0", true },
        { "'a' == 'a'", true },
        { "'a' == 1", false },
        { "null == null", true },
        { "n == null", true },
        { "1 == null", false },
        { "[1, 2] == [1, 2]", true },
        { "[1, 2] == [2, 1]", false },
        { "[1, 'a'] == [1.0, 'a']", true },
        { "[1] == [1, 2]", false },
        { "{'a': 1, 'b': 2} == {'b': 2, 'a': 1}", true },
        { "{'a': 1} == {'a': 1.0}", true },
        { "{1: 'x'} == {1u: 'x'}", true },
        { "{'a': 1} == {'a': 2}", false },
        { "{'a': 1} == {'b': 1}", false },
        { "m == {'a': 1, 'b': 'two', 'c': {'d': true}}", true },
        { "labels == {'env': 'dev'}", true },
        { "b'abc' == b'abc'", true },
        { "b'abc' == 'abc'", false },
        { "type(1) == int", true },
        { "type(1u) == uint", true },
        { "type(1u) == int", false },
        { "type(type(1)) == type", true },
        { "int == int", true },
        { "1 < 2", true },
        { "2 <= 2", true },
        { "3 > 2", true },
        { "2 >= 3", false },
        { "1 < 1.5", true },
        { "2u > 1", true },
        { "-1 < 0u", true },
        { "18446744073709551615u > 9223372036854775807", true },
        { "1.5 > 1u", true },
        { "0.0 / 0.0 < 1.0", false },
        { "0.0 / 0.0 >= 1.0", false },
        { "'a' < 'b'", true },
        { "'abc' < 'abd'", true },
        { "'ab' < 'abc'", true },
        { "'B' < 'a'", true },
        { "'\\uffff' < '\\U0001F600'", true },
        { "b'\\x01' > b'\\x00\\xff'", true },
        { "false < true", true },
        { "true <= true", true },
        { "2 in [1, 2, 3]", true },
        { "4 in [1, 2, 3]", false },
        { "2.0 in [1, 2, 3]", true },
        { "'a' in ['b', 1, 'a']", true },
        { "'a' in {'a': 1}", true },
        { "'z' in {'a': 1}", false },
        { "1 in {1u: 'x'}", true },
        { "1.0 in {1: 'x'}", true },
        { "1.5 in {1: 'x'}", false },
        { "true in {true: 1}", true },
        { "[1] in [[1], [2]]", true },
        { "'env' in labels", true },
        { "!true", false },
        { "!!true", true },
        { "true && true", true },
        { "true && false", false },
        { "false || true", true },
        { "false || false", false },
    };

    [Theory]
    [MemberData(nameof(Relations))]
    public void Evaluate_Relation_GivesBool(string expression, bool expected) => Assert.Equal(expected, Cel.Eval(expression));

    public static TheoryData<string, string> Precedence => new()
    {
        { "1 + 2 * 3", "7" },
        { "(1 + 2) * 3", "9" },
        { "10 - 4 - 3", "3" },
        { "100 / 10 / 5", "2" },
        { "2 * 3 % 4", "2" },
        { "1 + 2 == 3", "true" },
        { "1 < 2 == true", "true" },
        { "true || false && false", "true" },
        { "(true || false) && false", "false" },
        { "!false && false", "false" },
        { "-2 * -3", "6" },
        { "false ? 1 : true ? 2 : 3", "2" },
        { "true ? (false ? 1 : 2) : 3", "2" },
        { "1 + 1 == 2 ? 'y' : 'n'", "\"y\"" },
        { "true || false ? 'a' : 'b'", "\"a\"" },
        { "2 in [1, 2] && 3 in [3]", "true" },
        { "[1, 2, 3][1] + 10", "12" },
        { "-[1][0]", "-1" },
        { "!m.c.d", "false" },
        { "m.a + l[2] * 2", "7" },
        { "'a' + 'b' == 'ab' && size('ab') == 2", "true" },
    };

    [Theory]
    [MemberData(nameof(Precedence))]
    public void Evaluate_Precedence_FollowsCel(string expression, string expected) => Assert.Equal(expected, Cel.Json(expression));

    public static TheoryData<string, string> Conditional => new()
    {
        { "true ? 1 : 2", "1" },
        { "false ? 1 : 2", "2" },
        { "true ? 'x' : 1 / 0", "\"x\"" },
        { "false ? 1 / 0 : 'y'", "\"y\"" },
        { "i > 5 ? s : 'small'", "\"hello\"" },
    };

    [Theory]
    [MemberData(nameof(Conditional))]
    public void Evaluate_Conditional_EvaluatesOnlyTheChosenBranch(string expression, string expected) => Assert.Equal(expected, Cel.Json(expression));
}
