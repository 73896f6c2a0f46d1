using Fleet.Domain.Expressions.Cel;

namespace Fleet.Domain.Tests.Expressions.Cel;

/// <summary>What the checker rejects before any value exists, what it leaves to evaluation, and what it tells callers.</summary>
public sealed class CelCheckerTests
{
    private static readonly CelType Target = CelType.Object("target", new Dictionary<string, CelType>
    {
        ["name"] = CelType.String,
        ["labels"] = CelType.Map(CelType.String, CelType.String),
        ["replicas"] = CelType.Int,
    });

    private static readonly CelEngine Declared = new(CelEnvironment.Empty
        .WithVariable("target", Target)
        .WithVariable("n", CelType.Int)
        .WithVariable("names", CelType.List(CelType.String))
        .WithVariable("anything", CelType.Dyn)
        .WithVariable("a.b", CelType.Map(CelType.String, CelType.Int)));

    public static TheoryData<string, string, int> Rejected => new()
    {
        { "1 + 'a'", "no matching overload for '+' applied to (int, string)", 2 },
        { "1 + 1u", "no matching overload for '+' applied to (int, uint)", 2 },
        { "1.5 % 2.0", "no matching overload for '%' applied to (double, double)", 4 },
        { "!5", "no matching overload for '!' applied to (int)", 0 },
        { "-'a'", "no matching overload for '-' applied to (string)", 0 },
        { "-1u", "no matching overload for '-' applied to (uint)", 0 },
        { "'a' < 1", "no matching overload for '<' applied to (string, int)", 4 },
        { "[1] < [2]", "no matching overload for '<' applied to (list(int), list(int))", 4 },
        { "1 && true", "the left operand of '&&' must be a bool, not int", 2 },
        { "true || 'x'", "the right operand of '||' must be a bool, not string", 5 },
        { "1 ? 2 : 3", "the condition of '?:' must be a bool, not int", 2 },
        { "size(1)", "no matching overload for 'size' applied to (int)", 0 },
        { "'a'.size(1)", "no matching overload for 'size' applied to (string, int)", 4 },
        { "n.startsWith('a')", "no matching overload for 'startsWith' applied to (int, string)", 2 },
        { "contains('a', 'b')", "'contains' is a method, not a function: write x.contains(...)", 0 },
        { "n.int()", "'int' is a function, not a method: write int(x, ...)", 2 },
        { "frobnicate(1)", "unknown function 'frobnicate'", 0 },
        { "x", "undeclared reference to 'x'", 0 },
        { "x.y", "undeclared reference to 'x'", 0 },
        { "[1].all(x, x) || y", "the condition of all() must be a bool, not int", 11 },
        { "[1].map(x, y)", "undeclared reference to 'y'", 11 },
        { "[1].map(x, x) + x", "undeclared reference to 'x'", 16 },
        { "target.nmae", "undefined field 'nmae' (fields of target: labels, name, replicas)", 7 },
        { "has(target.nmae)", "undefined field 'nmae'", 11 },
        { "target['nmae']", "undefined field 'nmae'", 6 },
        { "target.name + 1", "no matching overload for '+' applied to (string, int)", 12 },
        { "target.replicas + 'x'", "no matching overload for '+' applied to (int, string)", 16 },
        { "target.labels.env + 1", "no matching overload for '+' applied to (string, int)", 18 },
        { "target.name.first", "type 'string' does not support field selection", 12 },
        { "n.foo", "type 'int' does not support field selection", 2 },
        { "names[0] + 1", "no matching overload for '+' applied to (string, int)", 9 },
        { "names['x']", "no matching overload for '[]' applied to (list(string), string)", 5 },
        { "'abc'[0]", "no matching overload for '[]' applied to (string, int)", 5 },
        { "5.all(x, true)", "all() cannot iterate over a value of type int", 2 },
        { "{1.5: 'a'}", "a map key cannot be of type double", 1 },
        { "{[1]: 'a'}", "a map key cannot be of type list(int)", 1 },
        { "'x'.matches('(')", "invalid regular expression '('", 12 },
        { "'x'.matches('(?=a)')", "invalid regular expression '(?=a)': lookahead and lookbehind are not supported", 12 },
        { "'x'.matches('a{1001}')", "invalid regular expression 'a{1001}': repetition count {1001} is larger than 1000", 12 },
        { "matches('x', '(?U)a')", "invalid regular expression '(?U)a': flag U (ungreedy) is not supported", 13 },
        { "a.b.c + 'x'", "no matching overload for '+' applied to (int, string)", 6 },
        { "dyn", "undeclared reference to 'dyn'", 0 },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Compile_CertainToFail_IsRejectedWithPosition(string expression, string message, int offset)
    {
        var result = Cel.CompileError(expression, Declared);
        Assert.StartsWith(message, result.Error, StringComparison.Ordinal);
        Assert.Equal(offset, result.ErrorOffset);
    }

    [Theory]
    [InlineData("anything + 1")]
    [InlineData("anything.foo.bar[3]")]
    [InlineData("anything && true")]
    [InlineData("1 == 'a'")]
    [InlineData("1 == 1.0")]
    [InlineData("1 < 1.5")]
    [InlineData("[1] + ['a']")]
    [InlineData("1 in ['a']")]
    [InlineData("target.labels.anything")]
    [InlineData("target.labels['app.kubernetes.io/name']")]
    [InlineData("dyn(1) + 'a'")]
    [InlineData("true ? 1 : 'a'")]
    [InlineData("{'a': 1}[anything]")]
    [InlineData("int")]
    [InlineData("[1, 2].map(x, x).filter(y, y > 1)")]
    [InlineData("'x'.matches(target.name)")]
    public void Compile_CouldSucceedForSomeValues_IsAccepted(string expression) => Assert.True(Declared.Compile(expression).Succeeded, Declared.Compile(expression).Error);

    [Fact]
    public void Compile_WithoutChecking_LeavesEverythingToEvaluation()
    {
        var unchecked_ = new CelEngine(CelEnvironment.Empty.WithChecking(false));
        Assert.Equal("true", Cel.Json("x || true", new Dictionary<string, object?>(), unchecked_));
        Assert.Equal("false", Cel.Json("'horses' && false", new Dictionary<string, object?>(), unchecked_));
        Assert.Equal("true", Cel.Json("f_unknown(17) || true", new Dictionary<string, object?>(), unchecked_));
        Assert.Equal("error: unknown function 'f_unknown'", Cel.Json("f_unknown(17)", new Dictionary<string, object?>(), unchecked_));
        Assert.Equal("error: no matching overload for '+' applied to (int, string)", Cel.Json("1 + 'a'", new Dictionary<string, object?>(), unchecked_));
        Assert.StartsWith("error: invalid regular expression '('", Cel.Json("'x'.matches('(')", new Dictionary<string, object?>(), unchecked_), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> ResultTypes => new()
    {
        { "1", "int" },
        { "1u + 2u", "uint" },
        { "1.5", "double" },
        { "'a' + 'b'", "string" },
        { "b'a'", "bytes" },
        { "null", "null_type" },
        { "n > 1", "bool" },
        { "[1, 2]", "list(int)" },
        { "[1, 'a']", "list(dyn)" },
        { "{'a': 1}", "map(string, int)" },
        { "target", "target" },
        { "target.labels", "map(string, string)" },
        { "target.labels.env", "string" },
        { "target.replicas", "int" },
        { "names[0]", "string" },
        { "names.map(x, x.size())", "list(int)" },
        { "names.filter(x, x != '')", "list(string)" },
        { "names.all(x, true)", "bool" },
        { "anything", "dyn" },
        { "anything.x", "dyn" },
        { "true ? 1 : 2", "int" },
        { "true ? 1 : 'a'", "dyn" },
        { "type(1)", "type" },
        { "int('1')", "int" },
        { "dyn(1)", "dyn" },
        { "[1] + [2]", "list(int)" },
        { "[1] + ['a']", "list(dyn)" },
        { "size(names)", "int" },
        { "a.b", "map(string, int)" },
        { "a.b.c", "int" },
    };

    [Theory]
    [MemberData(nameof(ResultTypes))]
    public void Compile_Expression_KnowsItsResultType(string expression, string type) =>
        Assert.Equal(type, Cel.Compile(expression, Declared).ResultType.ToString());

    [Fact]
    public void Compile_Variables_AreReportedWithTheFieldsRead()
    {
        var program = Cel.Compile("target.name + target.labels['env'] + (has(target.replicas) ? 'r' : '') + string(n) + string(size(names))", Declared);
        Assert.Equal(["n", "names", "target"], program.RootVariables.Order(StringComparer.Ordinal));
        Assert.Equal(["labels", "name", "replicas"], program.FieldsOf("target").Order(StringComparer.Ordinal));
        Assert.False(program.ReadsWhole("target"));
        Assert.True(program.ReadsWhole("names"));
        Assert.Empty(program.FieldsOf("names"));
    }

    [Fact]
    public void Compile_ComprehensionVariable_IsNotARootVariable()
    {
        var program = Cel.Compile("names.all(x, x.size() > n)", Declared);
        Assert.Equal(["n", "names"], program.RootVariables.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Compile_UndeclaredAllowed_ListsTheRootsAndEvaluatesThem()
    {
        var open = new CelEngine();
        var program = Cel.Compile("self.status.ready && resources.db.status.ready", open);
        Assert.Equal(["resources", "self"], program.RootVariables.Order(StringComparer.Ordinal));
        Assert.Equal(["db"], program.FieldsOf("resources"));
        var ready = new Dictionary<string, object?> { ["status"] = new Dictionary<string, object?> { ["ready"] = true } };
        Assert.Equal(true, program.Evaluate(new Dictionary<string, object?> { ["self"] = ready, ["resources"] = new Dictionary<string, object?> { ["db"] = ready } }));
    }

    [Fact]
    public void Evaluate_QualifiedName_LongestBoundNameWins()
    {
        var open = new CelEngine(CelEnvironment.Empty.WithChecking(false));
        var both = new Dictionary<string, object?>
        {
            ["a.b.c"] = "yeah",
            ["a.b"] = new Dictionary<string, object?> { ["c"] = "oops" },
        };
        Assert.Equal("yeah", Cel.Eval("a.b.c", both, open));
        Assert.Equal("oops", Cel.Eval("a.b.c", new Dictionary<string, object?> { ["a.b"] = both["a.b"] }, open));
        Assert.Equal("deep", Cel.Eval("a.b.c", new Dictionary<string, object?> { ["a"] = new Dictionary<string, object?> { ["b"] = new Dictionary<string, object?> { ["c"] = "deep" } } }, open));
        Assert.Equal(3L, Cel.Eval("a.b.c", new Dictionary<string, object?> { ["a.b"] = new Dictionary<string, object?> { ["c"] = 3L } }, Declared));
    }
}
