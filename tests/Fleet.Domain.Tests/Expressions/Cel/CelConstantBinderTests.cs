using Fleet.Domain.Expressions.Cel;

namespace Fleet.Domain.Tests.Expressions.Cel;

/// <summary>
/// Writing an Instance's values into an expression (what the hub does to <c>readyWhen</c> before an agent, which knows
/// only <c>self</c>, evaluates it): the bound text must mean what the expression meant with the variables bound.
/// </summary>
public sealed class CelConstantBinderTests
{
    private static readonly IReadOnlyDictionary<string, object?> Constants = new Dictionary<string, object?>
    {
        ["inputs"] = new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["replicas"] = 3L,
            ["offset"] = -2L,
            ["ratio"] = 0.5,
            ["whole"] = 2.0,
            ["name"] = "a \"b\"\n\\c",
            ["on"] = true,
            ["tags"] = new List<object?> { "x", 1L },
            ["db"] = new SortedDictionary<string, object?>(StringComparer.Ordinal) { ["port"] = 5432L },
        },
        ["instance"] = new Dictionary<string, object?> { ["name"] = "team-a" },
    };

    private static string Bind(string expression) => CelConstantBinder.Bind(expression, Constants, CelLimits.Default);

    [Theory]
    [InlineData("self.spec.replicas == inputs.replicas", "self.spec.replicas == 3")]
    [InlineData("self.x == inputs.db.port", "self.x == 5432")]
    [InlineData("self.x == inputs.offset", "self.x == (-2)")]
    [InlineData("self.x == inputs.ratio + inputs.whole", "self.x == 0.5 + 2.0")]
    [InlineData("self.name == inputs.name", "self.name == \"a \\\"b\\\"\\n\\\\c\"")]
    [InlineData("inputs.on && self.ok", "true && self.ok")]
    [InlineData("self.tag in inputs.tags", "self.tag in [\"x\", 1]")]
    [InlineData("self.n == instance.name", "self.n == \"team-a\"")]
    [InlineData("size(inputs.db) == 1", "size({\"port\": 5432}) == 1")]
    [InlineData("inputs.db['port'] > 0", "{\"port\": 5432}['port'] > 0")]
    [InlineData("has(inputs.db.port)", "has({\"port\": 5432}.port)")]
    [InlineData("has(inputs.nope)", "has({\"db\": {\"port\": 5432}, \"name\": \"a \\\"b\\\"\\n\\\\c\", \"offset\": -2, \"on\": true, \"ratio\": 0.5, \"replicas\": 3, \"tags\": [\"x\", 1], \"whole\": 2.0}.nope)")]
    [InlineData("inputs.replicas.nope", "(3).nope")]
    [InlineData("inputs.name.startsWith('a')", "\"a \\\"b\\\"\\n\\\\c\".startsWith('a')")]
    [InlineData("self.items.all(inputs, inputs.ready)", "self.items.all(inputs, inputs.ready)")]
    [InlineData("self.items.all(x, x.n == inputs.replicas)", "self.items.all(x, x.n == 3)")]
    [InlineData("self.items.exists(inputs, .inputs.replicas == inputs.n)", "self.items.exists(inputs, 3 == inputs.n)")]
    [InlineData("self.replicas == 3 // inputs.replicas", "self.replicas == 3 // inputs.replicas")]
    [InlineData("'inputs.replicas' == self.text", "'inputs.replicas' == self.text")]
    [InlineData("self.inputs.replicas == 1", "self.inputs.replicas == 1")]
    [InlineData("inputs . replicas == 3", "3 == 3")]
    public void Bind_WritesTheValuesIn(string expression, string bound) => Assert.Equal(bound, Bind(expression));

    [Theory]
    [InlineData("self.spec.replicas == inputs.replicas", true)]
    [InlineData("self.spec.name == inputs.name + '!'", false)]
    [InlineData("inputs.tags.exists(t, t == self.tag) && inputs.ratio < 1.0", true)]
    [InlineData("has(inputs.db.port) && !has(inputs.db.host)", true)]
    [InlineData("inputs.offset + inputs.replicas == 1", true)]
    [InlineData("instance.name.endsWith('-a')", true)]
    public void Bind_Bound_EvaluatesAsTheOriginalWithTheVariables(string expression, bool expected)
    {
        var self = new Dictionary<string, object?> { ["spec"] = new Dictionary<string, object?> { ["replicas"] = 3L, ["name"] = "x" }, ["tag"] = "x" };
        var engine = new CelEngine();
        var original = engine.Compile(expression).Expression!.Evaluate(new Dictionary<string, object?>(Constants) { ["self"] = self });
        var bound = engine.Compile(Bind(expression)).Expression!.Evaluate(new Dictionary<string, object?> { ["self"] = self });
        Assert.Equal(expected, original);
        Assert.Equal(original, bound);
    }

    [Theory]
    [InlineData("inputs.")]
    [InlineData("inputs.replicas ==")]
    public void Bind_NotAnExpression_Throws(string expression) =>
        Assert.Throws<CelCompileException>(() => Bind(expression));

    [Fact]
    public void Literal_SpellsEveryValueAsCel()
    {
        Assert.Equal("null", CelConstantBinder.Literal(null));
        Assert.Equal("1u", CelConstantBinder.Literal(1UL));
        Assert.Equal("1E+300", CelConstantBinder.Literal(1e300));
        Assert.Equal("\"\\u0001\\u007f\ufffd🚀\"", CelConstantBinder.Literal("\u0001\u007f\ud800🚀"));
        Assert.Throws<CelCompileException>(() => CelConstantBinder.Literal(new CelBytes([1])));
    }
}
