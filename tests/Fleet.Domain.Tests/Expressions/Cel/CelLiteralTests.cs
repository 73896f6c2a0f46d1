using Fleet.Domain.Expressions.Cel;

namespace Fleet.Domain.Tests.Expressions.Cel;

/// <summary>Every literal form of the language definition: numbers, strings with all escapes, raw and triple-quoted strings, bytes, lists and maps.</summary>
public sealed class CelLiteralTests
{
    public static TheoryData<string, object?> Scalars => new()
    {
        { "0", 0L },
        { "42", 42L },
        { "9223372036854775807", long.MaxValue },
        { "-9223372036854775808", long.MinValue },
        { "0x7fffffffffffffff", long.MaxValue },
        { "-0x8000000000000000", long.MinValue },
        { "0u", 0UL },
        { "42U", 42UL },
        { "0xffffffffffffffffu", ulong.MaxValue },
        { "1.5", 1.5 },
        { "0.0", 0.0 },
        { ".5", 0.5 },
        { "1e3", 1000.0 },
        { "1E-2", 0.01 },
        { "2.5e+2", 250.0 },
        { "-1.5", -1.5 },
        { "true", true },
        { "false", false },
        { "null", null },
        { "'single'", "single" },
        { "\"double\"", "double" },
        { "'it\\'s'", "it's" },
        { "\"say \\\"hi\\\"\"", "say \"hi\"" },
        { "'\\a\\b\\f\\n\\r\\t\\v\\\\\\?\\'\\\"\\`'", "\a\b\f\n\r\t\v\\?'\"`" },
        { "'\\x41\\X42'", "AB" },
        { "'\\u00e9'", "é" },
        { "'\\U0001F600'", "\U0001F600" },
        { "'\\101\\060'", "A0" },
        { "'\\377'", "ÿ" },
        { "'\\xff'", "ÿ" },
        { "r'\\n\\d'", "\\n\\d" },
        { "R\"\\x\"", "\\x" },
        { "'''one\ntwo'''", "one\ntwo" },
        { "\"\"\"it's \"quoted\" \"\"\"", "it's \"quoted\" " },
        { "'''a''b'''", "a''b" },
        { "r'''\\'''", "\\" },
        { "'a' // a comment\n", "a" },
        { "'\U0001F600'", "\U0001F600" },
    };

    [Theory]
    [MemberData(nameof(Scalars))]
    public void Evaluate_ScalarLiteral_GivesValue(string expression, object? expected) => Assert.Equal(expected, Cel.Eval(expression));

    public static TheoryData<string, byte[]> Bytes => new()
    {
        { "b''", [] },
        { "b'abc'", [97, 98, 99] },
        { "B\"abc\"", [97, 98, 99] },
        { "b'\\xff\\x00'", [255, 0] },
        { "b'\\377'", [255] },
        { "b'ÿ'", [0xC3, 0xBF] },
        { "br'\\x'", [92, 120] },
        { "b'''a\nb'''", [97, 10, 98] },
        { "bytes('é')", [0xC3, 0xA9] },
    };

    [Theory]
    [MemberData(nameof(Bytes))]
    public void Evaluate_BytesLiteral_GivesOctets(string expression, byte[] expected) =>
        Assert.Equal(expected, Assert.IsType<CelBytes>(Cel.Eval(expression)).Span.ToArray());

    public static TheoryData<string, string> Aggregates => new()
    {
        { "[]", "[]" },
        { "[1, 'a', true, null, 1.5, 2u]", "[1,\"a\",true,null,1.5,2]" },
        { "[1, 2,]", "[1,2]" },
        { "[[1], [2, [3]]]", "[[1],[2,[3]]]" },
        { "{}", "{}" },
        { "{'a': 1, 'b': [true]}", "{\"a\":1,\"b\":[true]}" },
        { "{'a': 1,}", "{\"a\":1}" },
        { "{1: 'int', 2u: 'uint', true: 'bool', 'k': 'string'}", "{\"1\":\"int\",\"2\":\"uint\",\"k\":\"string\",\"true\":\"bool\"}" },
        { "{'a': {'b': {'c': 1}}}.a.b.c", "1" },
        { "{s: i}", "{\"hello\":7}" },
    };

    [Theory]
    [MemberData(nameof(Aggregates))]
    public void Evaluate_ListOrMapLiteral_GivesValue(string expression, string expected) => Assert.Equal(expected, Cel.Json(expression));

    [Fact]
    public void Evaluate_MapLiteralWithStringKeys_IsAStringKeyedDictionary()
    {
        // The rest of Fleet (rendering, JSON, YAML) reads maps as IReadOnlyDictionary<string, object?>.
        var value = Cel.Eval("{'a': 1}");
        Assert.Equal(1L, Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(value)["a"]);
    }

    [Fact]
    public void Evaluate_ListLiteral_IsANewListEachTime()
    {
        var program = Cel.Compile("[1, 2]");
        var first = Assert.IsType<List<object?>>(program.Evaluate(Cel.Vars));
        first.Add(3L);
        Assert.Equal(2, Assert.IsType<List<object?>>(program.Evaluate(Cel.Vars)).Count);
    }
}
