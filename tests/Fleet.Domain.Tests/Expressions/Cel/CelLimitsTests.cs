using Fleet.Domain.Expressions;
using Fleet.Domain.Expressions.Cel;

namespace Fleet.Domain.Tests.Expressions.Cel;

/// <summary>Every bound of <see cref="CelLimits"/> turns a hostile expression into an error, never a hang or a crash.</summary>
public sealed class CelLimitsTests
{
    private static CelEngine With(CelLimits limits) => new(CelEnvironment.Empty.WithUndeclaredVariables(true).WithLimits(limits));

    [Fact]
    public void Compile_LongerThanTheLimit_IsRefused()
    {
        var engine = With(CelLimits.Default with { MaxExpressionLength = 10 });
        Assert.True(engine.Compile("'12345678'").Succeeded);
        var result = engine.Compile("'123456789'");
        Assert.Equal("expression is longer than 10 characters", result.Error);
        Assert.Equal(10, result.ErrorOffset);
    }

    [Theory]
    [InlineData("(", ")")]
    [InlineData("[", "]")]
    [InlineData("f(", ")")]
    [InlineData("{1: ", "}")]
    public void Compile_NestedDeeperThanTheLimit_IsRefused(string open, string close)
    {
        // Unchecked, so the unknown function f does not stop compilation before the depth does.
        var engine = new CelEngine(CelEnvironment.Empty.WithChecking(false).WithLimits(CelLimits.Default with { MaxDepth = 20 }));
        Assert.True(engine.Compile(string.Concat(Enumerable.Repeat(open, 18)) + "1" + string.Concat(Enumerable.Repeat(close, 18))).Succeeded);
        var result = engine.Compile(string.Concat(Enumerable.Repeat(open, 30)) + "1" + string.Concat(Enumerable.Repeat(close, 30)));
        Assert.StartsWith("expression is nested more than 20 levels deep", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("+")]
    [InlineData("&&")]
    [InlineData("==")]
    public void Compile_ChainLongerThanTheDepthLimit_IsRefused(string op)
    {
        // A chain of operators builds a deep tree without any parentheses.
        var engine = With(CelLimits.Default with { MaxDepth = 20 });
        Assert.True(engine.Compile(string.Join(op, Enumerable.Repeat("x", 20))).Succeeded);
        Assert.StartsWith("expression is nested more than 20 levels deep", engine.Compile(string.Join(op, Enumerable.Repeat("x", 21))).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_DefaultDepth_AcceptsWhatCelRequires()
    {
        // The language definition asks for 32 terms of || in a row and 32 nested parentheses at least.
        var engine = new CelEngine();
        Assert.True(engine.Compile(string.Join(" || ", Enumerable.Repeat("false", 33))).Succeeded);
        Assert.True(engine.Compile(new string('(', 32) + "1" + new string(')', 32)).Succeeded);
        Assert.False(engine.Compile(new string('(', 200) + "1" + new string(')', 200)).Succeeded);
        Assert.False(engine.Compile(string.Join(" + ", Enumerable.Repeat("1", 2000))).Succeeded);
    }

    [Theory]
    [InlineData("[1,2,3,4,5,6,7,8,9,10].map(a, [1,2,3,4,5,6,7,8,9,10].map(b, [1,2,3,4,5,6,7,8,9,10].map(c, [1,2,3,4,5,6,7,8,9,10].map(d, [1,2,3,4,5,6,7,8,9,10].all(e, [1,2,3,4,5,6,7,8,9,10].all(f, true))))))")]
    [InlineData("[0,1].all(a, [0,1].all(b, [0,1].all(c, [0,1].all(d, [0,1].all(e, [0,1].all(f, [0,1].all(g, [0,1].all(h, [0,1].all(i, [0,1].all(j, [0,1].all(k, [0,1].all(l, [0,1].all(m, [0,1].all(n, [0,1].all(o, [0,1].all(p, [0,1].all(q, [0,1].all(r, [0,1].all(s, [0,1].all(t, 1/0 == 1))))))))))))))))))))")]
    public void Evaluate_ExponentialWork_StopsAtTheCostLimit(string expression)
    {
        var program = Cel.Compile(expression, new CelEngine());
        var started = System.Diagnostics.Stopwatch.StartNew();
        var error = Assert.Throws<ExpressionException>(() => program.Evaluate(new Dictionary<string, object?>()));
        Assert.StartsWith("evaluation exceeded its cost limit of 1000000 steps", error.Message, StringComparison.Ordinal);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"took {started.Elapsed}");
    }

    [Fact]
    public void Evaluate_CostLimitError_IsNotAbsorbedByOr()
    {
        var engine = With(CelLimits.Default with { MaxCost = 100 });
        var error = Assert.Throws<ExpressionException>(() => Cel.Eval("[1,2,3,4,5,6,7,8,9,10].map(x, [1,2,3,4,5,6,7,8,9,10].map(y, x * y)).size() > 0 || true", new Dictionary<string, object?>(), engine));
        Assert.StartsWith("evaluation exceeded its cost limit of 100 steps", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_StringGrowth_StopsAtTheSizeLimit()
    {
        var engine = With(CelLimits.Default with { MaxStringLength = 1000 });
        var error = Assert.Throws<ExpressionException>(() => Cel.Eval("[1,2,3,4,5,6,7,8,9,10,11,12].map(x, s).exists(x, false) || (s + s + s + s + s + s + s + s + s + s + s).size() > 0", new Dictionary<string, object?> { ["s"] = new string('a', 100) }, engine));
        Assert.Equal("string would be longer than 1000 characters", error.Message);
        Assert.Equal(98, error.Offset);
    }

    [Fact]
    public void Evaluate_BytesGrowth_StopsAtTheSizeLimit()
    {
        var engine = With(CelLimits.Default with { MaxStringLength = 4 });
        Assert.StartsWith("bytes would be longer than 4", Assert.Throws<ExpressionException>(() => Cel.Eval("b'abc' + b'de'", new Dictionary<string, object?>(), engine)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ListGrowth_StopsAtTheSizeLimit()
    {
        var engine = With(CelLimits.Default with { MaxListLength = 50 });
        Assert.Equal("list would have more than 50 elements", Assert.Throws<ExpressionException>(() => Cel.Eval("x + x", new Dictionary<string, object?> { ["x"] = Enumerable.Range(0, 30).Select(i => (object?)(long)i).ToList() }, engine)).Message);
        Assert.Equal("map() would build a list of more than 50 elements", Assert.Throws<ExpressionException>(() => Cel.Eval("x.map(i, i)", new Dictionary<string, object?> { ["x"] = Enumerable.Range(0, 60).Select(i => (object?)(long)i).ToList() }, engine)).Message);
    }

    [Fact]
    public void Evaluate_CostOfLargeInputs_IsCharged()
    {
        // One step each, but comparing and scanning big values costs in proportion to their size.
        var engine = With(CelLimits.Default with { MaxCost = 1000 });
        var big = Enumerable.Range(0, 5000).Select(i => (object?)(long)i).ToList();
        Assert.StartsWith("evaluation exceeded its cost limit", Assert.Throws<ExpressionException>(() => Cel.Eval("-1 in x", new Dictionary<string, object?> { ["x"] = big }, engine)).Message, StringComparison.Ordinal);
        Assert.StartsWith("evaluation exceeded its cost limit", Assert.Throws<ExpressionException>(() => Cel.Eval("x == y", new Dictionary<string, object?> { ["x"] = big, ["y"] = big }, engine)).Message, StringComparison.Ordinal);
        Assert.StartsWith("evaluation exceeded its cost limit", Assert.Throws<ExpressionException>(() => Cel.Eval("x.contains('b')", new Dictionary<string, object?> { ["x"] = new string('a', 100_000) }, engine)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_RegexLongerThanTheLimit_IsAnError()
    {
        var engine = With(CelLimits.Default with { MaxRegexLength = 8 });
        Assert.Equal("regular expression is longer than 8 characters", Assert.Throws<ExpressionException>(() => Cel.Eval("'a'.matches(p)", new Dictionary<string, object?> { ["p"] = "aaaaaaaaa" }, engine)).Message);
        Assert.Equal("regular expression is longer than 8 characters", engine.Compile("'a'.matches('aaaaaaaaa')").Error);
    }

    [Fact]
    public void Evaluate_EachEvaluation_HasItsOwnBudget()
    {
        var engine = With(CelLimits.Default with { MaxCost = 50 });
        var program = Cel.Compile("[1, 2, 3].map(x, x * 2)", engine);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(3, Assert.IsType<List<object?>>(program.Evaluate(new Dictionary<string, object?>())).Count);
        }
    }
}
