namespace Fleet.Domain.Tests.Expressions.Cel;

/// <summary>CEL's commutative <c>&amp;&amp;</c> / <c>||</c>: a deciding operand wins over an error on either side.</summary>
public sealed class CelAbsorptionTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "1 / 0 == 1 || true", "true" },
        { "true || 1 / 0 == 1", "true" },
        { "1 / 0 == 1 && false", "false" },
        { "false && 1 / 0 == 1", "false" },
        { "1 / 0 == 1 || false", "error: division by zero" },
        { "false || 1 / 0 == 1", "error: division by zero" },
        { "1 / 0 == 1 && true", "error: division by zero" },
        { "true && 1 / 0 == 1", "error: division by zero" },
        { "m.zz == 1 || m.a == 1", "true" },
        { "m.a == 1 && m.zz == 1", "error: no such key: zz" },
        { "dyn('x') || true", "true" },
        { "dyn('x') && false", "false" },
        { "dyn('x') || false", "error: no matching overload for '||' applied to (string, bool)" },
        { "dyn(1) && dyn('y')", "error: no matching overload for '&&' applied to (int, string)" },
        { "(1 / 0 == 1 || 2 / 0 == 1) || true", "true" },
        { "1 / 0 == 1 || [1][5] == 1", "error: division by zero" },
        { "[1, 2, 0].all(x, 6 / x > 0)", "error: division by zero" },
        { "[1, 0, 2].all(x, 6 / x > 10)", "false" },
        { "[0, 1].exists(x, 1 / x == 1)", "true" },
        { "[0, 2].exists(x, 1 / x == 1)", "error: division by zero" },
        { "[1, 'a'].exists(x, x == 1)", "true" },
        { "['a', 1].all(x, x > 0)", "error: no matching overload for '>' applied to (string, int)" },
        { "['a', 1].all(x, x < 0)", "false" },
        { "[0, 1].exists_one(x, 1 / x == 1)", "error: division by zero" },
        { "[1, 0].map(x, 1 / x)", "error: division by zero" },
        { "[1, 0].filter(x, 1 / x == 1)", "error: division by zero" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_ErrorAndDecidingOperand_FollowsCel(string expression, string expected) =>
        Assert.Equal(expected, Cel.Json(expression));
}
