using Fleet.Cli.Commands;

namespace Fleet.Cli.Tests.Commands;

/// <summary>The JSON mapping of <c>fleet eval -</c>, one line in, one line out, in process.</summary>
public sealed class EvalBatchLineTests
{
    public static TheoryData<string, string> Lines => new()
    {
        { "{\"expr\": \"1\"}", "{\"value\":1}" },
        { "{\"expr\": \"1u\"}", "{\"value\":1}" },
        { "{\"expr\": \"18446744073709551615u\"}", "{\"value\":18446744073709551615}" },
        { "{\"expr\": \"1.0\"}", "{\"value\":1.0}" },
        { "{\"expr\": \"1e300 * 10.0\"}", "{\"value\":1E+301}" },
        { "{\"expr\": \"0.0 / 0.0\"}", "{\"value\":\"NaN\"}" },
        { "{\"expr\": \"-1.0 / 0.0\"}", "{\"value\":\"-Infinity\"}" },
        { "{\"expr\": \"b'\\\\x00\\\\xff'\"}", "{\"value\":\"AP8=\"}" },
        { "{\"expr\": \"type('a')\"}", "{\"value\":\"string\"}" },
        { "{\"expr\": \"null\"}", "{\"value\":null}" },
        { "{\"expr\": \"{'b': 1, 'a': [true]}\"}", "{\"value\":{\"a\":[true],\"b\":1}}" },
        { "{\"expr\": \"{2: 'two', true: 'yes'}\"}", "{\"value\":{\"2\":\"two\",\"true\":\"yes\"}}" },
        { "{\"expr\": \"x\", \"vars\": {\"x\": 1.0}}", "{\"value\":1.0}" },
        { "{\"expr\": \"type(x)\", \"vars\": {\"x\": 1.0}}", "{\"value\":\"double\"}" },
        { "{\"expr\": \"type(x)\", \"vars\": {\"x\": 1}}", "{\"value\":\"int\"}" },
        { "{\"expr\": \"type(x)\", \"vars\": {\"x\": 1e2}}", "{\"value\":\"double\"}" },
        { "{\"expr\": \"x.a[1].b\", \"vars\": {\"x\": {\"a\": [0, {\"b\": \"deep\"}]}}}", "{\"value\":\"deep\"}" },
        { "{\"expr\": \"x == null\", \"vars\": {\"x\": null}}", "{\"value\":true}" },
        { "{\"expr\": \"\\\"quote\\\\\\\"d\\\"\"}", "{\"value\":\"quote\\\"d\"}" },
        { "{\"expr\": \"x + 1\"}", "{\"error\":\"line 1, column 1: undeclared reference to 'x'\"}" },
        { "{\"expr\": \"x + 1\", \"check\": false}", "{\"error\":\"line 1, column 1: unknown variable 'x'\"}" },
        { "{\"expr\": \"1 + 'a'\", \"check\": false}", "{\"error\":\"line 1, column 3: no matching overload for '+' applied to (int, string)\"}" },
        { "{\"expr\": \"1\", \"check\": \"no\"}", "{\"error\":\"\\\"check\\\" must be true or false\"}" },
        { "{\"expr\": \"1\", \"vars\": [1]}", "{\"error\":\"\\\"vars\\\" must be a JSON object of variable names to values\"}" },
        { "[1]", "{\"error\":\"each line must be a JSON object like {\\\"expr\\\": \\\"1 + 1\\\", \\\"vars\\\": {}}\"}" },
        { "   ", "{\"error\":\"empty line: expected a JSON object like {\\\"expr\\\": \\\"1 + 1\\\", \\\"vars\\\": {}}\"}" },
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void BatchLine_Request_AnswersOneJsonLine(string line, string expected) => Assert.Equal(expected, EvalCommand.BatchLine(line));

    [Theory]
    [InlineData("abc", 0, "line 1, column 1")]
    [InlineData("abc", 3, "line 1, column 4")]
    [InlineData("a\nbc", 3, "line 2, column 2")]
    [InlineData("a\n", 2, "line 2, column 1")]
    public void Position_Offset_IsLineAndColumn(string text, int offset, string expected) => Assert.Equal(expected, EvalCommand.Position(text, offset));
}
