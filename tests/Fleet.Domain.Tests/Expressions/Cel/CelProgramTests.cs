using Fleet.Domain.Expressions;
using Fleet.Domain.Expressions.Cel;

namespace Fleet.Domain.Tests.Expressions.Cel;

/// <summary>Compile once, evaluate many times, from many threads, over the value shapes callers hand in.</summary>
public sealed class CelProgramTests
{
    [Fact]
    public void Evaluate_ConcurrentlyFromManyThreads_GivesEachItsOwnResult()
    {
        var program = Cel.Compile("[1, 2, 3].map(x, x * n).filter(y, y > n).size() + n", new CelEngine());
        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var n = (long)(i % 50) + 1;
            Assert.Equal(2L + n, program.Evaluate(new Dictionary<string, object?> { ["n"] = n }));
        });
    }

    [Fact]
    public void Evaluate_ClrShapes_AreReadAsCelValues()
    {
        var variables = new Dictionary<string, object?>
        {
            ["i32"] = 5,
            ["u32"] = 5u,
            ["f"] = 1.5f,
            ["octets"] = new byte[] { 1, 2 },
            ["ints"] = new List<int> { 1, 2 },
            ["strings"] = new[] { "a", "b" },
            ["labels"] = new Dictionary<string, string> { ["env"] = "dev" },
            ["table"] = new System.Collections.Hashtable { ["k"] = 1 },
        };
        var engine = new CelEngine();
        Assert.Equal(true, Cel.Eval("i32 + 1 == 6 && type(i32) == int", variables, engine));
        Assert.Equal(true, Cel.Eval("u32 + 1u == 6u && type(u32) == uint", variables, engine));
        Assert.Equal(true, Cel.Eval("f * 2.0 == 3.0", variables, engine));
        Assert.Equal(true, Cel.Eval("size(octets) == 2 && type(octets) == bytes", variables, engine));
        Assert.Equal(true, Cel.Eval("ints == [1, 2] && ints[1] + 1 == 3 && 2 in ints", variables, engine));
        Assert.Equal(true, Cel.Eval("strings.exists(s, s == 'b') && strings[0] == 'a'", variables, engine));
        Assert.Equal(true, Cel.Eval("labels.env == 'dev' && 'env' in labels && labels.all(k, k == 'env')", variables, engine));
        Assert.Equal(true, Cel.Eval("table.k == 1 && table['k'] == 1u", variables, engine));
    }

    [Fact]
    public void Evaluate_ErrorInsideExpression_PointsAtIt()
    {
        var error = Assert.Throws<ExpressionException>(() => Cel.Eval("m.a + m.c.zz", engine: new CelEngine()));
        Assert.Equal("no such key: zz", error.Message);
        Assert.Equal(10, error.Offset);
    }

    [Fact]
    public void Evaluate_MissingVariable_IsAnErrorAtIt()
    {
        var error = Assert.Throws<ExpressionException>(() => Cel.Compile("1 + nope", new CelEngine()).Evaluate(new Dictionary<string, object?>()));
        Assert.Equal("unknown variable 'nope'", error.Message);
        Assert.Equal(4, error.Offset);
    }

    [Fact]
    public void Evaluate_DeeplyNestedInput_IsAnErrorNotACrash()
    {
        object? deep = 1L;
        for (var i = 0; i < 100_000; i++)
        {
            deep = new List<object?> { deep };
        }

        var error = Assert.Throws<ExpressionException>(() => Cel.Compile("x == y", new CelEngine()).Evaluate(new Dictionary<string, object?> { ["x"] = deep, ["y"] = deep }));
        Assert.Equal("a value is nested too deeply to evaluate", error.Message);
    }

    [Fact]
    public void Engine_CompileResult_IsACelProgramWithItsText()
    {
        var result = new CelEngine().Compile("1 + 1");
        var program = Assert.IsType<CelProgram>(result.Expression);
        Assert.Equal("1 + 1", program.Text);
        Assert.Equal(CelType.Int, program.ResultType);
    }
}
