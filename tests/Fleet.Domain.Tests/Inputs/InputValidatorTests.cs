using Fleet.Domain.Inputs;
using Fleet.Domain.Serialization;

namespace Fleet.Domain.Tests.Inputs;

/// <summary>An Instance's inputs as plain values checked against a schema: every type, every marker, defaults, every violation.</summary>
public sealed class InputValidatorTests
{
    private static InputField Field(string name, string declaration)
    {
        var errors = new List<InputError>();
        var field = InputDeclarationParser.Parse(name, declaration, errors);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        return field!;
    }

    private static InputSchema Schema(params (string Name, string Declaration)[] fields) => new(fields.Select(f => Field(f.Name, f.Declaration)));

    private static Dictionary<string, object?> Values(params (string Name, object? Value)[] values) =>
        values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);

    public static TheoryData<string, object?, object?> Accepted => new()
    {
        // declaration, value given, value resolved
        { "string", "hi", "hi" },
        { "string", "", "" },
        { "integer", 3L, 3L },
        { "integer", 3, 3L },
        { "integer", long.MinValue, long.MinValue },
        { "number", 3L, 3.0 },
        { "number", 2.5, 2.5 },
        { "boolean", false, false },
        { "[]string", new List<object?> { "a", "b" }, new List<object?> { "a", "b" } },
        { "[]number", new List<object?> { 1L, 2.5 }, new List<object?> { 1.0, 2.5 } },
        { "map[string]integer", new Dictionary<string, object?> { ["b"] = 2L, ["a"] = 1L }, new SortedDictionary<string, object?>(StringComparer.Ordinal) { ["a"] = 1L, ["b"] = 2L } },
        { "[]map[string]integer", new List<object?> { new Dictionary<string, object?> { ["x"] = 1L } }, new List<object?> { new Dictionary<string, object?> { ["x"] = 1L } } },
        { "map[string][]boolean", new Dictionary<string, object?> { ["x"] = new List<object?> { true } }, new Dictionary<string, object?> { ["x"] = new List<object?> { true } } },
        { "[]string", new List<object?>(), new List<object?>() },
        { "integer | minimum=1 maximum=3", 3L, 3L },
        { "number | minimum=0.5", 0.5, 0.5 },
        { "string | enum=a,b", "b", "b" },
        { "integer | enum=1,2", 2L, 2L },
        { "number | enum=1,2.5", 1L, 1.0 },
        { "string | pattern=^[a-z]+$", "abc", "abc" },
        { "string | pattern=b", "abc", "abc" },
        { "string | minLength=2 maxLength=2", "é🚀", "é🚀" },
        { "[]integer | minItems=1 maxItems=1", new List<object?> { 1L }, new List<object?> { 1L } },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Validate_FittingValue_IsResolved(string declaration, object? given, object? resolved)
    {
        var result = InputValidator.Validate(Schema(("x", declaration)), Values(("x", given)));
        Assert.True(result.IsValid, string.Join("\n", result.Violations));
        Assert.Equal(ValueJson.SerializeResult(resolved), ValueJson.SerializeResult(result.Resolved!["x"]));
        Assert.Equal(resolved?.GetType() == typeof(double), result.Resolved["x"] is double);
    }

    public static TheoryData<string, object?, string> Refused => new()
    {
        // declaration, value given, violation
        { "string", 3L, "spec.inputs.x: must be a string, not 3" },
        { "string", true, "spec.inputs.x: must be a string, not true" },
        { "integer", "3", "spec.inputs.x: must be an integer, not string \"3\"" },
        { "integer", 3.5, "spec.inputs.x: must be an integer, not 3.5" },
        { "integer", 3.0, "spec.inputs.x: must be an integer, not 3.0" },
        { "integer", ulong.MaxValue, "spec.inputs.x: must be an integer, not 18446744073709551615" },
        { "number", "1.5", "spec.inputs.x: must be a number, not string \"1.5\"" },
        { "number", double.NaN, "spec.inputs.x: must be a number, not \"NaN\"" },
        { "boolean", "true", "spec.inputs.x: must be a boolean (true or false), not string \"true\"" },
        { "[]string", "a", "spec.inputs.x: must be a list ([]string), not string \"a\"" },
        { "[]string", new List<object?> { "a", 1L, null }, "spec.inputs.x[1]: must be a string, not 1; spec.inputs.x[2]: must be a string, not null" },
        { "map[string]integer", new List<object?>(), "spec.inputs.x: must be a mapping (map[string]integer), not a list" },
        { "map[string]integer", new Dictionary<string, object?> { ["a.b"] = "1" }, "spec.inputs.x[\"a.b\"]: must be an integer, not string \"1\"" },
        { "[]map[string]integer", new List<object?> { new Dictionary<string, object?> { ["k"] = true } }, "spec.inputs.x[0].k: must be an integer, not true" },
        { "integer | minimum=1", 0L, "spec.inputs.x: 0 is less than the minimum 1" },
        { "integer | maximum=10", 11L, "spec.inputs.x: 11 is more than the maximum 10" },
        { "number | minimum=0.5", 0L, "spec.inputs.x: 0.0 is less than the minimum 0.5" },
        { "string | enum=red,green", "blue", "spec.inputs.x: \"blue\" is not one of \"red\", \"green\"" },
        { "integer | enum=1,2", 3L, "spec.inputs.x: 3 is not one of 1, 2" },
        { "string | pattern=^[a-z]+$", "ABC", "spec.inputs.x: \"ABC\" does not match the pattern ^[a-z]+$" },
        { "string | minLength=3", "é🚀", "spec.inputs.x: \"é🚀\" is 2 characters long, shorter than the minimum length 3" },
        { "string | maxLength=1", "ab", "spec.inputs.x: \"ab\" is 2 characters long, longer than the maximum length 1" },
        { "[]integer | minItems=2", new List<object?> { 1L }, "spec.inputs.x: has 1 item, fewer than the minimum 2" },
        { "[]integer | maxItems=0", new List<object?> { 1L, 2L }, "spec.inputs.x: has 2 items, more than the maximum 0" },
        { "string | required=true", null, "spec.inputs.x: input 'x' is required" },
        { "string | minLength=5 pattern=^a", "b", "spec.inputs.x: \"b\" is 1 character long, shorter than the minimum length 5; spec.inputs.x: \"b\" does not match the pattern ^a" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Validate_ValueThatDoesNotFit_NamesTheInput(string declaration, object? given, string violations)
    {
        var result = InputValidator.Validate(Schema(("x", declaration)), Values(("x", given)));
        Assert.False(result.IsValid);
        Assert.Null(result.Resolved);
        Assert.Equal(violations, string.Join("; ", result.Violations));
    }

    [Fact]
    public void Validate_EveryViolation_IsListed()
    {
        var schema = Schema(
            ("replicas", "integer | minimum=1"),
            ("size", "string | enum=s,m,l"),
            ("name", "string | required=true"),
            ("tags", "[]string | maxItems=1"));
        var result = InputValidator.Validate(schema, Values(("replicas", 0L), ("size", "xl"), ("tags", new List<object?> { "a", 2L }), ("replicaz", 1L), ("zone", "eu")));
        Assert.Equal(
            [
                "spec.inputs.replicaz: unknown input 'replicaz' (did you mean 'replicas'?)",
                "spec.inputs.zone: unknown input 'zone' (inputs of this capability: name, replicas, size, tags)",
                "spec.inputs.name: input 'name' is required",
                "spec.inputs.replicas: 0 is less than the minimum 1",
                "spec.inputs.size: \"xl\" is not one of \"s\", \"m\", \"l\"",
                "spec.inputs.tags[1]: must be a string, not 2",
            ],
            result.Violations);
    }

    private static InputSchema Nested() => new(
    [
        Field("greeting", "string | default=hello"),
        Field("replicas", "integer | default=1"),
        Field("ratio", "number | default=1"),
        Field("optional", "string"),
        new InputField
        {
            Name = "db",
            Type = InputType.ObjectOf(new InputSchema(
            [
                Field("port", "integer | default=5432"),
                Field("host", "string"),
                new InputField { Name = "pool", Type = InputType.ObjectOf(new InputSchema([Field("size", "integer | default=10")])) },
            ])),
        },
    ]);

    [Fact]
    public void Validate_LeftOut_GetsDefaultsNestedToo()
    {
        var result = InputValidator.Validate(Nested(), null);
        Assert.True(result.IsValid, string.Join("\n", result.Violations));
        Assert.Equal(
            """{"db":{"pool":{"size":10},"port":5432},"greeting":"hello","ratio":1.0,"replicas":1}""",
            InputValuesJson.Serialize(result.Resolved!));
    }

    [Fact]
    public void Validate_PartlyGiven_KeepsWhatIsGivenAndDefaultsTheRest()
    {
        var given = Values(("greeting", "hi"), ("optional", null), ("db", new Dictionary<string, object?> { ["host"] = "db1", ["pool"] = null }));
        var result = InputValidator.Validate(Nested(), given);
        Assert.True(result.IsValid, string.Join("\n", result.Violations));
        Assert.Equal(
            """{"db":{"host":"db1","pool":{"size":10},"port":5432},"greeting":"hi","ratio":1.0,"replicas":1}""",
            InputValuesJson.Serialize(result.Resolved!));
    }

    [Fact]
    public void Validate_NestedObject_ReportsUnknownMissingAndWrongFields()
    {
        var schema = new InputSchema([new InputField { Name = "db", Type = InputType.ObjectOf(new InputSchema([Field("host", "string | required=true"), Field("port", "integer")])) }]);
        Assert.Equal(["spec.inputs.db.host: field 'host' is required"], InputValidator.Validate(schema, null).Violations);
        Assert.Equal(
            ["spec.inputs.db.hostt: unknown field 'hostt' (did you mean 'host'?)", "spec.inputs.db.host: field 'host' is required", "spec.inputs.db.port: must be an integer, not string \"x\""],
            InputValidator.Validate(schema, Values(("db", new Dictionary<string, object?> { ["hostt"] = "a", ["port"] = "x" }))).Violations);
        Assert.Equal(["spec.inputs.db: must be a mapping of fields, not string \"db1\""], InputValidator.Validate(schema, Values(("db", "db1"))).Violations);
    }

    [Fact]
    public void Validate_Resolved_ResolvesToItself()
    {
        var first = InputValidator.Validate(Nested(), Values(("replicas", 3L)));
        var again = InputValidator.Validate(Nested(), first.Resolved);
        Assert.Equal(InputValuesJson.Serialize(first.Resolved!), InputValuesJson.Serialize(again.Resolved!));
    }

    [Fact]
    public void Validate_ResolvedAgainstANewerSchema_GetsItsDefaults()
    {
        var older = InputValidator.Validate(Schema(("replicas", "integer | default=1")), null).Resolved;
        var newer = InputValidator.Validate(Schema(("replicas", "integer | default=1"), ("zone", "string | default=eu")), older);
        Assert.Equal("""{"replicas":1,"zone":"eu"}""", InputValuesJson.Serialize(newer.Resolved!));
    }

    [Fact]
    public void Validate_OptionalWithoutDefault_StaysAbsent()
    {
        var result = InputValidator.Validate(Schema(("x", "string")), null);
        Assert.True(result.IsValid);
        Assert.False(result.Resolved!.ContainsKey("x"));
    }
}
