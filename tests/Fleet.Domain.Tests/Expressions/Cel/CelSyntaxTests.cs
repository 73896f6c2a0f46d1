namespace Fleet.Domain.Tests.Expressions.Cel;

/// <summary>Syntax errors, each reported with the offset of the offending character or token.</summary>
public sealed class CelSyntaxTests
{
    public static TheoryData<string, string, int> Errors => new()
    {
        { "", "unexpected end of expression", 0 },
        { "   ", "unexpected end of expression", 3 },
        { "1 +", "unexpected end of expression", 3 },
        { "target.name +", "unexpected end of expression", 13 },
        { "(1 + 2", "unexpected end of expression (expected ')')", 6 },
        { "[1, 2", "unexpected end of expression (expected ']' or ',')", 5 },
        { "{'a' 1}", "unexpected '1' (expected ':' after a map key)", 5 },
        { "{'a': 1", "unexpected end of expression (expected '}' or ',')", 7 },
        { "f(1 2)", "unexpected '2' (expected ')' or ',')", 4 },
        { "1 2", "unexpected '2' (expected an operator or the end of the expression)", 2 },
        { "a.", "unexpected end of expression (expected a field or method name after '.')", 2 },
        { "a.1", "unexpected '.1'", 1 },
        { "a.true", "unexpected 'true' (expected a field or method name after '.')", 2 },
        { "a = 1", "unexpected character '=' (did you mean '=='?)", 2 },
        { "a & b", "unexpected character '&' (did you mean '&&'?)", 2 },
        { "a | b", "unexpected character '|' (did you mean '||'?)", 2 },
        { "a # b", "unexpected character '#'", 2 },
        { "'abc", "unterminated string literal", 0 },
        { "x + 'abc\ndef'", "unterminated string literal (a quoted string cannot span lines", 4 },
        { "'''abc''", "unterminated string literal", 0 },
        { "'\\q'", "invalid escape sequence '\\q'", 1 },
        { "'\\x4'", "invalid escape sequence '\\x': it needs 2 hexadecimal digits", 1 },
        { "'\\u12'", "invalid escape sequence '\\u'", 1 },
        { "'\\ud800'", "invalid escape sequence: U+D800 is not a Unicode code point", 1 },
        { "'\\U00110000'", "invalid escape sequence: U+110000", 1 },
        { "'\\400'", "invalid escape sequence '\\4'", 1 },
        { "b'\\u0041'", "'\\u' escapes are not allowed in bytes literals", 2 },
        { "9223372036854775808", "integer literal 9223372036854775808 is out of range for int", 0 },
        { "-9223372036854775809", "integer literal -9223372036854775809 is out of range", 1 },
        { "18446744073709551616u", "integer literal 18446744073709551616 is out of range", 0 },
        { "1e400", "double literal 1e400 is out of range", 0 },
        { "true ? 1", "unexpected end of expression (expected ':')", 8 },
        { "if", "'if' is a reserved word and cannot be used as a name", 0 },
        { "while(1)", "'while' is a reserved word", 0 },
        { "has(a)", "has() takes one field selection, like has(m.field)", 4 },
        { "has(a.b, c)", "has() takes one field selection", 0 },
        { "[1].all(1, true)", "the first argument of all() must be a simple name", 8 },
        { "[1].map(x.y, x)", "the first argument of map() must be a simple name", 10 },
        { "true ? false ? 1 : 2 : 3", "unexpected '?' (expected ':')", 13 },
        { "Msg{a: 1}", "message construction (Type{field: value}) is not supported", 3 },
        { "a.?b", "unexpected '?'", 2 },
        { "`a`", "unexpected '`a`' (expected an operand)", 0 },
        { "a.`b", "unterminated quoted field name", 2 },
        { "a.`b!`", "unexpected character '!' in a quoted field name", 4 },
        { ")", "unexpected ')' (expected an operand)", 0 },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Compile_SyntaxError_ReportsMessageAndOffset(string expression, string message, int offset)
    {
        var result = Cel.CompileError(expression, new Fleet.Domain.Expressions.Cel.CelEngine());
        Assert.StartsWith(message, result.Error, StringComparison.Ordinal);
        Assert.Equal(offset, result.ErrorOffset);
    }

    public static TheoryData<string, string> Accepted => new()
    {
        { "{'as': 1}.as", "1" },
        { "{'while': 1}.while", "1" },
        { "{'content-type': 'json'}.`content-type`", "\"json\"" },
        { "has({'a.b': 1}.`a.b`)", "true" },
        { "1 + // comment\n 2", "3" },
        { "1\t+\r\n2\f", "3" },
        { "[\n1,\n2\n]", "[1,2]" },
        { "((((((((((((((((((((((((((((((((7))))))))))))))))))))))))))))))))", "7" },
        { "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!true", "true" },
        { "--------------------------------19", "19" },
        { "-1.5.size", "error: no such field 'size': a value of type double has no fields" },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Compile_ValidSyntax_Evaluates(string expression, string expected) =>
        Assert.Equal(expected, Cel.Json(expression, engine: new Fleet.Domain.Expressions.Cel.CelEngine(Fleet.Domain.Expressions.Cel.CelEnvironment.Empty.WithChecking(false))));
}
