using Fleet.Domain.Expressions;

namespace Fleet.Domain.Tests.Expressions;

public sealed class MemberAccessEngineTests
{
    private static readonly MemberAccessEngine Engine = new();

    private static object? Eval(string expression, IReadOnlyDictionary<string, object?>? variables = null)
    {
        var compiled = Engine.Compile(expression);
        Assert.True(compiled.Succeeded, $"{expression}: {compiled.Error} at {compiled.ErrorOffset}");
        return compiled.Expression!.Evaluate(variables ?? Vars.Target());
    }

    public static TheoryData<string, object?> Values => new()
    {
        { "target.name", "a1" },
        { "target.labels.env", "dev" },
        { "target['labels'][\"region\"]", "eu" },
        { "target.facts.os", "linux" },
        { "list[0]", "x" },
        { "list[1]", 2L },
        { "'it\\'s'", "it's" },
        { "\"a\\\"b\\\\c\\n\\t\"", "a\"b\\c\n\t" },
        { "42", 42L },
        { "true", true },
        { "false", false },
        { "null", null },
        { "(target.name)", "a1" },
        { "n", 3L },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void Evaluate_Operand_ReturnsValue(string expression, object? expected) => Assert.Equal(expected, Eval(expression));

    public static TheoryData<string, bool> Booleans => new()
    {
        { "target.name == 'a1'", true },
        { "target.name != 'a1'", false },
        { "target.labels.env == \"prod\"", false },
        { "n == 3", true },
        { "n == d", true },           // CEL: numbers compare by value across int and double
        { "n == '3'", false },         // heterogeneous: unequal, not an error
        { "nothing == null", true },
        { "null == false", false },
        { "list == list", true },
        { "target.labels == target.labels", true },
        { "target.labels == target.facts", false },
        { "yes && no", false },
        { "yes && yes", true },
        { "no || yes", true },
        { "no || no", false },
        { "!no", true },
        { "!!yes", true },
        { "!(yes && no)", true },
        // Precedence: && binds tighter than ||, == tighter than &&, ! tighter than ==.
        { "yes || yes && no", true },
        { "(yes || yes) && no", false },
        { "no && no || yes", true },
        { "n == 3 && target.name == 'a1'", true },
        { "!no == yes", true },
        { "yes == no == no", true },
    };

    [Theory]
    [MemberData(nameof(Booleans))]
    public void Evaluate_Operators_FollowCelPrecedence(string expression, bool expected) => Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("no && target.labels.tier == 'x'", false)]
    [InlineData("yes || target.labels.tier == 'x'", true)]
    [InlineData("target.labels.tier == 'x' && no", false)] // CEL: an error on one side is absorbed by a deciding other side
    [InlineData("target.labels.tier == 'x' || yes", true)]
    public void Evaluate_LogicalOperator_ShortCircuitsErrors(string expression, bool expected) => Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("target.labels.tier", "no such key: tier", 14)]
    [InlineData("target.labels['tier']", "no such key: tier", 13)]
    [InlineData("target.name.first", "no such field 'first' on a value of type string", 12)]
    [InlineData("missing", "unknown variable 'missing'", 0)]
    [InlineData("list[3]", "index 3 out of range [0, 3)", 4)]
    [InlineData("list['a']", "list index must be int", 4)]
    [InlineData("n[0]", "cannot be indexed", 1)]
    [InlineData("target[0]", "no such key: 0", 6)]
    [InlineData("n && yes", "'&&' needs bool operands, got int", 2)]
    [InlineData("yes && target.labels.tier == 'x'", "no such key: tier", 21)]
    [InlineData("!n", "'!' needs bool operands", 0)]
    public void Evaluate_Error_ThrowsWithOffset(string expression, string message, int offset)
    {
        var compiled = Engine.Compile(expression);
        Assert.True(compiled.Succeeded);
        var error = Assert.Throws<ExpressionException>(() => compiled.Expression!.Evaluate(Vars.Target()));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(offset, error.Offset);
    }

    [Fact]
    public void Evaluate_MissingKey_MessageIsNoSuchKey()
    {
        var error = Assert.Throws<ExpressionException>(() => Eval("target.labels.tier"));
        Assert.Equal("no such key: tier", error.Message);
    }

    [Fact]
    public void Evaluate_StringDictionary_IsAMap()
    {
        var variables = new Dictionary<string, object?> { ["labels"] = new Dictionary<string, string> { ["env"] = "dev" } };
        Assert.Equal("dev", Eval("labels.env", variables));
    }

    [Theory]
    [InlineData("target.name +", 12, "unexpected character '+'")]
    [InlineData("target.", 7, "expected a field name")]
    [InlineData("target..name", 7, "expected a field name")]
    [InlineData("", 0, "unexpected end")]
    [InlineData("a ==", 4, "unexpected end")]
    [InlineData("(a", 2, "expected ')'")]
    [InlineData("a[0", 3, "expected ']'")]
    [InlineData("a b", 2, "unexpected 'b'")]
    [InlineData("a = b", 2, "did you mean '=='")]
    [InlineData("a & b", 2, "did you mean '&&'")]
    [InlineData("a | b", 2, "did you mean '||'")]
    [InlineData("'abc", 0, "unterminated string")]
    [InlineData("'a\\qb'", 2, "unknown escape")]
    [InlineData("99999999999999999999", 0, "out of range")]
    [InlineData("1.5", 2, "expected a field name")]
    [InlineData("size(a)", 4, "unexpected '('")]
    [InlineData("a + 1", 2, "unexpected character '+'")]
    [InlineData("'a\nb'", 0, "unterminated string")]
    [InlineData(")", 0, "unexpected ')'")]
    public void Compile_BadSyntax_FailsWithOffset(string expression, int offset, string message)
    {
        var result = Engine.Compile(expression);
        Assert.False(result.Succeeded);
        Assert.Equal(offset, result.ErrorOffset);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_TooLong_Fails()
    {
        var ok = Engine.Compile("'" + new string('a', MemberAccessEngine.MaxLength - 2) + "'");
        Assert.True(ok.Succeeded);
        var result = Engine.Compile("'" + new string('a', MemberAccessEngine.MaxLength - 1) + "'");
        Assert.False(result.Succeeded);
        Assert.Contains("longer than 4096", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData('(', ')')]
    [InlineData('!', ' ')]
    public void Compile_NestedTooDeep_Fails(char open, char close)
    {
        string Nested(int depth) => new string(open, depth) + "yes" + (close == ' ' ? "" : new string(close, depth));
        Assert.True(Engine.Compile(Nested(MemberAccessEngine.MaxDepth)).Succeeded);
        var result = Engine.Compile(Nested(MemberAccessEngine.MaxDepth + 1));
        Assert.False(result.Succeeded);
        Assert.Equal(MemberAccessEngine.MaxDepth, result.ErrorOffset);
        Assert.Contains("nested more than 32", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_IndexNestedTooDeep_Fails()
    {
        var expression = string.Concat(Enumerable.Repeat("a[", 33)) + "0" + new string(']', 33);
        Assert.False(Engine.Compile(expression).Succeeded);
    }

    [Theory]
    [InlineData("target.name", new[] { "target" })]
    [InlineData("target.labels[capability.name] == other.x || 'lit' == null", new[] { "capability", "other", "target" })]
    [InlineData("'x' == 1", new string[0])]
    [InlineData("a.target", new[] { "a" })]
    public void RootVariables_Expression_AreFreeTopLevelIdentifiers(string expression, string[] roots)
    {
        var compiled = Engine.Compile(expression).Expression!;
        Assert.Equal(roots, compiled.RootVariables.Order(StringComparer.Ordinal));
    }
}
