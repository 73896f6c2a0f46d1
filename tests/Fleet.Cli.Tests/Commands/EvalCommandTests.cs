namespace Fleet.Cli.Tests.Commands;

/// <summary><c>fleet eval</c> as users run it (in process): no hub, exit codes of SPEC §1.</summary>
public sealed class EvalCommandTests
{
    [Theory]
    [InlineData("1 + 2", null, "3")]
    [InlineData("target.labels.ring == 'canary'", "{\"target\": {\"labels\": {\"ring\": \"canary\"}}}", "true")]
    [InlineData("-1.5 * 2.0", null, "-3.0")]
    [InlineData("[x, x * 2u, b'hi', type(x), {'k': 1.0 / 0.0}]", "{\"x\": 1}", "error: line 1, column 7: no matching overload for '*' applied to (int, uint)")]
    [InlineData("[x, uint(x) * 2u, b'hi', type(x), {'k': 1.0 / 0.0}]", "{\"x\": 1}", "[1,2,\"aGk=\",\"int\",{\"k\":\"Infinity\"}]")]
    public async Task Eval_Expression_PrintsTheValueAsJson(string expression, string? vars, string expected)
    {
        var (exit, stdout, stderr) = vars is null
            ? await InProcess.Fleet("eval", expression)
            : await InProcess.Fleet("eval", expression, "--vars", vars);

        if (expected.StartsWith("error: ", StringComparison.Ordinal))
        {
            Assert.Equal(2, exit);
            Assert.StartsWith(expected, stderr, StringComparison.Ordinal);
            Assert.Equal("", stdout);
        }
        else
        {
            Assert.Equal(0, exit);
            Assert.Equal(expected + "\n", stdout);
            Assert.Equal("", stderr);
        }
    }

    [Theory]
    [InlineData("target.name +", "error: line 1, column 14: unexpected end of expression")]
    [InlineData("1 / 0", "error: line 1, column 3: division by zero")]
    [InlineData("x + 1", "error: line 1, column 1: undeclared reference to 'x'")]
    [InlineData("'a' +\n  1", "error: line 1, column 5: no matching overload for '+' applied to (string, int)")]
    [InlineData("[1,\n  2][5]", "error: line 2, column 5: index 5 out of range (list has 2 elements)")]
    public async Task Eval_BadExpression_ExitsTwoWithThePosition(string expression, string expected)
    {
        var (exit, stdout, stderr) = await InProcess.Fleet("eval", expression);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith(expected, stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json", "error: --vars is not valid JSON")]
    [InlineData("[1, 2]", "error: --vars: it must be a JSON object of variable names to values")]
    public async Task Eval_InvalidVars_ExitsTwo(string vars, string expected)
    {
        var (exit, _, stderr) = await InProcess.Fleet("eval", "1", "--vars", vars);

        Assert.Equal(2, exit);
        Assert.StartsWith(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_Batch_AnswersEachLineInOrderAndSurvivesBadLines()
    {
        string[] input =
        [
            "{\"expr\": \"1 + 1\"}",
            "{\"expr\": \"x * 2\", \"vars\": {\"x\": 21}}",
            "not json at all",
            "",
            "{\"expr\": \"1 / 0\"}",
            "{\"vars\": {}}",
            "{\"expr\": \"name.startsWith('a')\", \"vars\": {\"name\": \"a1\"}}",
            "{\"expr\": \"x || true\", \"check\": false}",
            "{\"expr\": \"'\\u00e9'.size()\"}",
        ];

        var (exit, stdout, _) = await InProcess.FleetWithInput(string.Join("\n", input) + "\n", "eval", "-");

        Assert.Equal(0, exit);
        var lines = stdout.Split('\n', StringSplitOptions.None)[..^1];
        Assert.Equal(input.Length, lines.Length);
        Assert.Equal("{\"value\":2}", lines[0]);
        Assert.Equal("{\"value\":42}", lines[1]);
        Assert.StartsWith("{\"error\":\"invalid JSON: ", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("{\"error\":\"empty line", lines[3], StringComparison.Ordinal);
        Assert.Equal("{\"error\":\"line 1, column 3: division by zero\"}", lines[4]);
        Assert.Equal("{\"error\":\"\\\"expr\\\" must be a string\"}", lines[5]);
        Assert.Equal("{\"value\":true}", lines[6]);
        Assert.Equal("{\"value\":true}", lines[7]);
        Assert.Equal("{\"value\":1}", lines[8]);
    }

    [Fact]
    public async Task Eval_BatchWithoutTrailingNewline_AnswersTheLastLine()
    {
        var (exit, stdout, _) = await InProcess.FleetWithInput("{\"expr\": \"'a' + 'b'\"}", "eval", "-");

        Assert.Equal(0, exit);
        Assert.Equal("{\"value\":\"ab\"}\n", stdout);
    }

    [Fact]
    public async Task Eval_BatchWithLoneSurrogates_AnswersAnErrorLinePerBadLineAndGoesOn()
    {
        string[] input =
        [
            "{\"expr\": \"x\", \"vars\": {\"x\": \"\\ud800\"}}",
            "{\"expr\": \"1 + 1\"}",
            "{\"expr\": \"'\\udc00'\"}",
            "{\"expr\": \"x\", \"vars\": {\"\\ud800\": 1}}",
            "{\"expr\": \"2 + 2\"}",
        ];

        var (exit, stdout, stderr) = await InProcess.FleetWithInput(string.Join("\n", input) + "\n", "eval", "-");

        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        var lines = stdout.Split('\n')[..^1];
        Assert.Equal(input.Length, lines.Length);
        Assert.StartsWith("{\"error\":\"invalid JSON: line 1, column 30: \\\\ud800 is an unpaired surrogate", lines[0], StringComparison.Ordinal);
        Assert.Equal("{\"value\":2}", lines[1]);
        Assert.StartsWith("{\"error\":\"invalid JSON: line 1, column 12: \\\\udc00 is an unpaired surrogate", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("{\"error\":\"invalid JSON: line 1, column 25: \\\\ud800 is an unpaired surrogate", lines[3], StringComparison.Ordinal);
        Assert.Equal("{\"value\":4}", lines[4]);
    }

    [Fact]
    public async Task Eval_VarsWithALoneSurrogate_ExitsTwoWithThePosition()
    {
        var (exit, stdout, stderr) = await InProcess.Fleet("eval", "x", "--vars", "{\"x\": \"a\\udc00\"}");

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Equal("error: --vars is not valid JSON: line 1, column 9: \\udc00 is an unpaired surrogate, not a character\n", stderr);
    }

    [Fact]
    public async Task Eval_BatchLineNotUtf8_AnswersAnErrorLineWithTheColumnAndGoesOn()
    {
        byte[] input = [.. "{\"expr\": \"'caf"u8, 0xE9, .. "'\"}\r\n{\"expr\": \"'caf\u00e9'.size()\"}\n"u8];

        var (exit, stdout, _) = await InProcess.FleetWithInput(input, "eval", "-");

        Assert.Equal(0, exit);
        Assert.Equal("{\"error\":\"invalid UTF-8 at column 15 (byte 0xE9)\"}\n{\"value\":4}\n", stdout);
    }
}
