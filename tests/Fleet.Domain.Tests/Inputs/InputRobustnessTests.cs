using Fleet.Domain.Inputs;
using Fleet.Domain.Rendering;
using Fleet.Domain.Yaml;

namespace Fleet.Domain.Tests.Inputs;

/// <summary>
/// Whatever an operator writes as a declaration or as an Instance's inputs, the answer is a field or diagnostics, never
/// an exception; and every declaration that reads, written back as <c>fleet describe</c> does, reads as the same field.
/// </summary>
public sealed class InputRobustnessTests
{
    private static readonly string[] DeclarationPieces =
    [
        "string", "integer", "number", "boolean", "[]", "map[", "map[string]", "]", "|", " ", "  ", "\t", "default=", "required=",
        "enum=", "minimum=", "maximum=", "pattern=", "minLength=", "maxLength=", "minItems=", "maxItems=", "description=", "=",
        "\"", "\\", "\\\"", "true", "false", "1", "-1", "0.5", "1e400", "a", "a,b", ",", "[1]", "[\"a\"]", "{\"k\":1}", "{", "(", "^a$", "x y",
    ];

    private static readonly string[] Types = ["string", "integer", "number", "boolean", "[]string", "map[string]integer", "[]number", "[]map[string]boolean"];

    private static readonly string[] Markers =
        ["default", "required", "enum", "minimum", "maximum", "pattern", "minLength", "maxLength", "minItems", "maxItems", "description"];

    private static readonly string[] MarkerValues =
        ["0", "1", "3", "-1", "0.5", "1e3", "true", "false", "a", "a,b", "x y", "[1]", "[\"a\"]", "{\"k\":true}", "^a", "", "q\"uote", "back\\slash", "é🚀"];

    private static readonly string[] ValuePieces =
    [
        "1", "-3", "2.5", "\"3\"", "'x'", "true", "~", "[]", "[1, a]", "{}", "{ a: 1 }", "{ host: h, port: 5 }", ".nan", "0x10", "99999999999999999999",
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Parse_RandomDeclaration_GivesAFieldOrErrorsInTheText(int seed)
    {
        var random = new Random(seed);
        var read = 0;
        for (var i = 0; i < 3000; i++)
        {
            // Half junk, half well-formed declarations whose markers may still contradict each other or the type.
            var text = i % 2 == 0
                ? string.Concat(Enumerable.Range(0, random.Next(1, 9)).Select(_ => DeclarationPieces[random.Next(DeclarationPieces.Length)]))
                : Declaration(random);
            var errors = new List<InputError>();
            var field = InputDeclarationParser.Parse("x", text, errors);
            if (field is null)
            {
                Assert.NotEmpty(errors);
                Assert.All(errors, e => Assert.InRange(e.Offset, 0, text.Length));
                continue;
            }

            Assert.Empty(errors);
            read++;
            var formatted = InputDeclarationFormatter.Format(field);
            var again = InputDeclarationParser.Parse("x", formatted, errors);
            Assert.True(errors.Count == 0, $"'{text}' formatted as '{formatted}': {string.Join("; ", errors)}");
            Assert.Equal(field, again);
        }

        Assert.True(read > 300, $"only {read} random declarations read: the round trip is barely exercised");
    }

    private static string Declaration(Random random)
    {
        var markers = Enumerable.Range(0, random.Next(0, 4)).Select(_ =>
        {
            var value = MarkerValues[random.Next(MarkerValues.Length)];
            var quoted = "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
            return $"{Markers[random.Next(Markers.Length)]}={(value.Length == 0 || value.Contains(' ', StringComparison.Ordinal) || random.Next(3) == 0 ? quoted : value)}";
        });
        return $"{Types[random.Next(Types.Length)]} | {string.Join(' ', markers)}";
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Check_RandomInputs_GivesResolvedInputsOrPositionedErrors(int seed)
    {
        var capability = Assert.Single(DocumentParser.ParseAll(
            "apiVersion: fleet/v1alpha1\nkind: Capability\nmetadata: { name: c }\nspec:\n  inputs:\n    a: integer | minimum=0\n    b: \"[]string | maxItems=2\"\n"
            + "    c: map[string]number\n    d:\n      host: string | pattern=^[a-z]+$\n      port: integer | default=1\n"
            + "  resources:\n    - id: r\n      file: { path: p, content: x }\n",
            "c.yaml",
            TemplateEnvironment.Engine)).Capability!;
        var random = new Random(seed);
        string[] names = ["a", "b", "c", "d", "e"];
        var resolved = 0;
        for (var i = 0; i < 500; i++)
        {
            var inputs = string.Join(", ", names.Where(_ => random.Next(2) == 0).Select(n => $"{n}: {ValuePieces[random.Next(ValuePieces.Length)]}"));
            var document = Assert.Single(DocumentParser.ParseAll(
                $"apiVersion: fleet/v1alpha1\nkind: Instance\nmetadata: {{ name: i }}\nspec:\n  capability: c\n  inputs: {{ {inputs} }}\n", "i.yaml", TemplateEnvironment.Engine));
            var result = InstanceInputs.Check(document, capability);
            Assert.Equal(result.Errors.Count == 0, result.Resolved is not null);
            Assert.All(result.Errors, e => Assert.InRange(e.Line, 1, 6));
            resolved += result.IsValid ? 1 : 0;
        }

        Assert.InRange(resolved, 20, 480);
    }
}
