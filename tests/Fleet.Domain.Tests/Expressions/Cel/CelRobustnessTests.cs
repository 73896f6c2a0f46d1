using Fleet.Domain.Expressions;
using Fleet.Domain.Expressions.Cel;

namespace Fleet.Domain.Tests.Expressions.Cel;

/// <summary>
/// Whatever text an operator writes, compiling gives a program or an error, and evaluating gives a value
/// or an <see cref="ExpressionException"/>: never another exception that would take the hub down.
/// </summary>
public sealed class CelRobustnessTests
{
    private static readonly string[] Pieces =
    [
        "1", "0", "-1", "1u", "2.5", "0.0", "'a'", "\"\"", "b'x'", "r'\\'", "'''z'''", "true", "false", "null",
        "x", "y", "m", "l", "s", "int", "type", "dyn", "has", "size", "matches", "all", "exists", "exists_one", "map", "filter",
        "+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "&&", "||", "!", "?", ":", "in",
        ".", ",", "(", ")", "[", "]", "{", "}", " ", "9223372036854775807", "18446744073709551615u", "1e308",
        "'(a+)+$'", "'\\\\d'", "x.y", "m.k", "l[0]", "[", "`k`", "\\", "'", "//", "\n",
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void CompileAndEvaluate_RandomText_OnlyEverFailsCleanly(int seed)
    {
        var random = new Random(seed);
        var engine = new CelEngine(CelEnvironment.Empty.WithChecking(seed % 2 == 0).WithUndeclaredVariables(true).WithLimits(CelLimits.Default with { MaxCost = 20_000 }));
        var variables = new Dictionary<string, object?>
        {
            ["x"] = new Dictionary<string, object?> { ["y"] = 1L },
            ["m"] = new Dictionary<string, object?> { ["k"] = "v" },
            ["l"] = new List<object?> { 1L, "two", null },
            ["s"] = "text",
        };
        for (var i = 0; i < 3000; i++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 14)).Select(_ => Pieces[random.Next(Pieces.Length)]));
            var compiled = engine.Compile(text);
            if (!compiled.Succeeded)
            {
                Assert.NotNull(compiled.Error);
                Assert.InRange(compiled.ErrorOffset, 0, text.Length);
                continue;
            }

            try
            {
                compiled.Expression!.Evaluate(variables);
            }
            catch (ExpressionException e)
            {
                Assert.InRange(e.Offset, 0, text.Length);
            }
        }
    }
}
