using Fleet.Domain.Inputs;

namespace Fleet.Domain.Tests.Inputs;

/// <summary>One declaration, <c>TYPE | marker=value ...</c>: every type, every marker, and every way to get one wrong.</summary>
public sealed class InputDeclarationParserTests
{
    private static InputField Parse(string text)
    {
        var errors = new List<InputError>();
        var field = InputDeclarationParser.Parse("x", text, errors);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        return field!;
    }

    private static List<InputError> Errors(string text)
    {
        var errors = new List<InputError>();
        Assert.Null(InputDeclarationParser.Parse("x", text, errors));
        Assert.NotEmpty(errors);
        return errors;
    }

    [Theory]
    [InlineData("string", "string", 0)]
    [InlineData("integer", "integer", 0)]
    [InlineData("number", "number", 0)]
    [InlineData("boolean", "boolean", 0)]
    [InlineData("[]string", "[]string", 1)]
    [InlineData("map[string]integer", "map[string]integer", 1)]
    [InlineData("[]map[string]integer", "[]map[string]integer", 2)]
    [InlineData("map[string][]boolean", "map[string][]boolean", 2)]
    [InlineData("  [][]number  ", "[][]number", 2)]
    [InlineData("integer|default=1", "integer", 0)]
    public void Parse_Type_ReadsTheGrammar(string text, string type, int depth)
    {
        var field = Parse(text);
        Assert.Equal(type, field.Type.ToString());
        Assert.Equal(depth, field.Type.Depth);
    }

    [Fact]
    public void Parse_NestedType_BuildsElementTypes()
    {
        var type = Parse("[]map[string]integer").Type;
        Assert.Equal(InputTypeKind.List, type.Kind);
        Assert.Equal(InputTypeKind.Map, type.Element!.Kind);
        Assert.Equal(InputType.Integer, type.Element.Element);
        Assert.Equal(InputType.ListOf(InputType.MapOf(InputType.Integer)), type);
    }

    [Fact]
    public void Parse_EveryMarker_IsRead()
    {
        var text = Parse("string | default=\"hello world\" enum=\"hello world,hi\" pattern=^h minLength=2 maxLength=20 description=\"A greeting, said \\\"warmly\\\"\"");
        Assert.Equal("hello world", text.Default);
        Assert.Equal(["hello world", "hi"], text.Enum!);
        Assert.Equal("^h", text.Pattern);
        Assert.Equal((2, 20), (text.MinLength, text.MaxLength));
        Assert.Equal("A greeting, said \"warmly\"", text.Description);

        var integer = Parse("integer | default=3 minimum=1 maximum=10 enum=1,3,5");
        Assert.Equal((3L, 1L, 10L), (integer.Default, integer.Minimum, integer.Maximum));
        Assert.Equal([1L, 3L, 5L], integer.Enum!);

        var number = Parse("number | default=1 minimum=-0.5 maximum=1e3");
        Assert.Equal((1.0, -0.5, 1000.0), (number.Default, number.Minimum, number.Maximum));

        Assert.True(Parse("boolean | required=true").Required);
        Assert.False(Parse("boolean | required=false default=true").Required);
        Assert.Equal(true, Parse("boolean | default=true").Default);

        var list = Parse("[]string | default=[\"a\",\"b\"] minItems=1 maxItems=3");
        Assert.Equal(["a", "b"], (IEnumerable<object?>)list.Default!);
        Assert.Equal((1, 3), (list.MinItems, list.MaxItems));

        var map = Parse("map[string]number | default={\"a\":1}");
        Assert.Equal(1.0, ((IReadOnlyDictionary<string, object?>)map.Default!)["a"]);
    }

    [Theory]
    [InlineData("string | default=\"\"", "")]
    [InlineData("string | default=\"a\\\\d+\"", "a\\d+")]
    [InlineData("string | default=a\\d+", "a\\d+")]
    [InlineData("string | default=\"say \\\"hi\\\"\"", "say \"hi\"")]
    [InlineData("string | default=\"a | b\"", "a | b")]
    [InlineData("string | default=x=y", "x=y")]
    [InlineData("string |default=tight", "tight")]
    public void Parse_MarkerValues_QuoteAndEscape(string text, string expected) =>
        Assert.Equal(expected, Parse(text).Default);

    public static TheoryData<string, int, string> Problems => new()
    {
        // declaration, offset of the problem, message (start)
        { "", 0, "the type is missing" },
        { "  | default=1", 2, "the type is missing" },
        { "strin", 0, "unknown type 'strin' (did you mean 'string'?)" },
        { "object", 0, "unknown type 'object' (types: string, integer, number, boolean, []T, map[string]T (an object is a mapping" },
        { "int", 0, "unknown type 'int'" },
        { "[]", 2, "the type of the items is missing" },
        { "map[string]", 11, "the type of the values is missing" },
        { "map[integer]string", 4, "map keys must be strings: write map[string]T, not map[integer]" },
        { "map[string", 0, "map[ needs its closing ']'" },
        { "[][][][][][][][]string", 0, "the type nests more than 7 lists and maps" },
        { "string | defalt=x", 9, "unknown marker 'defalt' (did you mean 'default'?)" },
        { "string | colour=red", 9, "unknown marker 'colour' (markers: default, required, enum" },
        { "string | minimum=1", 9, "minimum does not apply to string inputs (they take default, required, enum, pattern, minLength, maxLength, description)" },
        { "integer | pattern=x", 10, "pattern does not apply to integer inputs" },
        { "boolean | enum=true", 10, "enum does not apply to boolean inputs" },
        { "[]string | minLength=1", 11, "minLength does not apply to []string inputs" },
        { "string | maxItems=1", 9, "maxItems does not apply" },
        { "map[string]string | enum=a", 20, "enum does not apply" },
        { "string | default=a default=b", 19, "duplicate marker 'default'" },
        { "string | required", 9, "marker 'required' needs a value: required=VALUE" },
        { "string | default=", 9, "marker 'default' needs a value" },
        { "string | default=\"open", 17, "the quoted value of 'default' has no closing '\"'" },
        { "string | default=\"a\"b", 20, "a space must follow the quoted value of 'default'" },
        { "string | =x", 9, "expected a marker such as default=V after '|', not '='" },
        { "string | required=yes", 18, "required must be true or false, not 'yes'" },
        { "string | required=true default=x", 23, "an input with a default is never missing" },
        { "integer | default=abc", 18, "default must be an integer, not 'abc'" },
        { "integer | default=1.5", 18, "default must be an integer, not '1.5'" },
        { "integer | default=99999999999999999999", 18, "default must be an integer" },
        { "number | default=Infinity", 17, "default must be a number, not 'Infinity'" },
        { "number | default=NaN", 17, "default must be a number" },
        { "boolean | default=yes", 18, "default must be a boolean (true or false), not 'yes'" },
        { "[]string | default=[1]", 19, "the default does not fit its own declaration: default[0]: must be a string, not 1" },
        { "[]integer | default=[1,", 20, "default must be JSON for a []integer" },
        { "map[string]integer | default=[]", 29, "the default does not fit its own declaration: must be a mapping (map[string]integer), not a list" },
        { "integer | default=0 minimum=1", 18, "the default does not fit its own declaration: 0 is less than the minimum 1" },
        { "integer | default=11 maximum=10", 18, "11 is more than the maximum 10" },
        { "string | default=c enum=a,b", 17, "\"c\" is not one of \"a\", \"b\"" },
        { "string | default=ABC pattern=^[a-z]+$", 17, "\"ABC\" does not match the pattern ^[a-z]+$" },
        { "string | default=a minLength=2", 17, "\"a\" is 1 character long, shorter than the minimum length 2" },
        { "string | default=abc maxLength=2", 17, "\"abc\" is 3 characters long, longer than the maximum length 2" },
        { "[]string | default=[] minItems=1", 19, "has 0 items, fewer than the minimum 1" },
        { "[]string | default=[\"a\",\"b\"] maxItems=1", 19, "has 2 items, more than the maximum 1" },
        { "integer | minimum=5 maximum=1", 20, "maximum 1 is less than minimum 5: no value could satisfy both" },
        { "string | minLength=5 maxLength=1", 21, "maxLength 1 is less than minLength 5" },
        { "[]string | minItems=5 maxItems=1", 22, "maxItems 1 is less than minItems 5" },
        { "string | minLength=-1", 19, "minLength must be a whole number from 0 to 2147483647, not '-1'" },
        { "integer | minimum=1.5", 18, "minimum must be an integer, not '1.5'" },
        { "number | maximum=x", 17, "maximum must be a number, not 'x'" },
        { "string | pattern=(a", 17, "pattern: invalid regular expression '(a'" },
        { "string | pattern=(?=a)", 17, "pattern: invalid regular expression" },
        { "string | enum=a,,b", 14, "enum has an empty value" },
        { "string | enum=a,a", 14, "enum lists \"a\" twice" },
        { "integer | enum=1,x", 15, "enum value must be an integer, not 'x'" },
    };

    [Theory]
    [MemberData(nameof(Problems))]
    public void Parse_BadDeclaration_IsReportedAtItsOffset(string text, int offset, string message)
    {
        var error = Errors(text)[0];
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(offset, error.Offset);
    }

    [Fact]
    public void Parse_ManyProblems_ReportsEveryOne()
    {
        var errors = Errors("integer | colour=red pattern=x minimum=a required=maybe");
        Assert.Equal(4, errors.Count);
        Assert.Equal([10, 21, 39, 50], errors.Select(e => e.Offset));
    }

    [Theory]
    [InlineData("string")]
    [InlineData("[]map[string]integer | required=true minItems=1")]
    [InlineData("string | default=\"hello world\" enum=\"hello world,hi\" pattern=\"^\\\\w+ \\\\d?\" minLength=2 maxLength=20 description=\"Say \\\"it\\\"\"")]
    [InlineData("integer | default=-3 minimum=-10 maximum=10 enum=-3,0,3")]
    [InlineData("number | default=0.1 minimum=-1E+300 maximum=1.5")]
    [InlineData("boolean | default=false description=\"\"")]
    [InlineData("[]number | default=[1,2.5]")]
    [InlineData("map[string][]string | default=\"{\\\"a b\\\":[\\\"c\\\"]}\"")]
    [InlineData("string | default=\"\\\"starts with a quote\"")]
    [InlineData("string | description=\"two\nlines\"")]
    public void Format_ParsedBack_GivesTheSameField(string text)
    {
        var field = Parse(text);
        var formatted = InputDeclarationFormatter.Format(field);
        Assert.Equal(field, Parse(formatted));
        Assert.Equal(formatted, InputDeclarationFormatter.Format(Parse(formatted)));
    }

    [Fact]
    public void Format_ReadsLikeADeclaration() =>
        Assert.Equal("integer | default=1 minimum=1 maximum=10", InputDeclarationFormatter.Format(Parse("integer | maximum=10 minimum=1 default=1")));
}
