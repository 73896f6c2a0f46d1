using Fleet.Domain.Expressions;
using Fleet.Domain.Expressions.Cel;
using Fleet.Domain.Serialization;

namespace Fleet.Domain.Tests.Expressions.Cel;

/// <summary>Compiles and evaluates for the table-driven tests; results are compared as <c>fleet eval</c> prints them.</summary>
internal static class Cel
{
    /// <summary>Variables shared by the tables.</summary>
    public static readonly IReadOnlyDictionary<string, object?> Vars = new Dictionary<string, object?>
    {
        ["i"] = 7L,
        ["u"] = 7UL,
        ["d"] = 2.5,
        ["s"] = "hello",
        ["b"] = true,
        ["n"] = null,
        ["l"] = new List<object?> { 1L, 2L, 3L },
        ["m"] = new Dictionary<string, object?> { ["a"] = 1L, ["b"] = "two", ["c"] = new Dictionary<string, object?> { ["d"] = true } },
        ["labels"] = new Dictionary<string, string> { ["env"] = "dev" },
        ["clr"] = 5,
    };

    public static CelEngine Engine { get; } = new(CelEnvironment.Empty.WithVariables(Vars.Select(kv => KeyValuePair.Create(kv.Key, CelType.Of(kv.Value)))));

    public static CelProgram Compile(string expression, CelEngine? engine = null)
    {
        var result = (engine ?? Engine).Compile(expression);
        Assert.True(result.Succeeded, $"'{expression}' did not compile: {result.Error} at {result.ErrorOffset}");
        return Assert.IsType<CelProgram>(result.Expression);
    }

    public static object? Eval(string expression, IReadOnlyDictionary<string, object?>? variables = null, CelEngine? engine = null) =>
        Compile(expression, engine).Evaluate(variables ?? Vars);

    /// <summary>The value as JSON, or <c>error: message</c>.</summary>
    public static string Json(string expression, IReadOnlyDictionary<string, object?>? variables = null, CelEngine? engine = null)
    {
        try
        {
            return ValueJson.SerializeResult(Eval(expression, variables, engine));
        }
        catch (ExpressionException e)
        {
            return "error: " + e.Message;
        }
    }

    public static ExpressionException EvalError(string expression, IReadOnlyDictionary<string, object?>? variables = null, CelEngine? engine = null) =>
        Assert.Throws<ExpressionException>(() => Eval(expression, variables, engine));

    public static CompileResult CompileError(string expression, CelEngine? engine = null)
    {
        var result = (engine ?? Engine).Compile(expression);
        Assert.False(result.Succeeded, $"'{expression}' compiled, but an error was expected");
        return result;
    }
}
