using Fleet.Domain.Inputs;
using Fleet.Domain.Model;
using Fleet.Domain.Rendering;
using Fleet.Domain.Yaml;

namespace Fleet.Domain.Tests.Inputs;

/// <summary>
/// <c>spec.inputs</c> of a capability as <c>fleet apply</c> reads it: the schema built, every problem at
/// <c>FILE:LINE:COLUMN</c> of the very character, and templates checked against the declared inputs.
/// </summary>
public sealed class CapabilityInputsParsingTests
{
    private const string Resource = "  resources:\n    - id: motd\n      file: { path: etc/motd, content: \"hi\" }\n";

    private static string Document(string inputs, string resources = Resource) =>
        "apiVersion: fleet/v1alpha1\nkind: Capability\nmetadata: { name: motd }\nspec:\n" + inputs + resources;

    private static ParsedDocument Parse(string yaml) => Assert.Single(DocumentParser.ParseAll(yaml, "cap.yaml", TemplateEnvironment.Engine));

    private static CapabilitySpec Valid(string yaml)
    {
        var document = Parse(yaml);
        Assert.True(document.IsValid, string.Join("\n", document.Errors));
        return document.Capability!;
    }

    [Fact]
    public void Parse_SpecExample_BuildsTheSchema()
    {
        var spec = Valid(Document("""
              inputs:
                greeting: string | default="hello"
                replicas: integer | default=1 minimum=1 maximum=10
                db:
                  host: string | required=true
                  port: integer | default=5432
                tags: "[]string"
            """ + "\n"));
        Assert.True(spec.HasInputs);
        var inputs = spec.Inputs!;
        Assert.Equal(["db", "greeting", "replicas", "tags"], inputs.Fields.Select(f => f.Name));
        Assert.Equal("hello", inputs.Find("greeting")!.Default);
        Assert.Equal((1L, 1L, 10L), (inputs.Find("replicas")!.Default, inputs.Find("replicas")!.Minimum, inputs.Find("replicas")!.Maximum));
        var db = inputs.Find("db")!.Type;
        Assert.Equal(InputTypeKind.Object, db.Kind);
        Assert.True(db.Fields!.Find("host")!.Required);
        Assert.Equal(5432L, db.Fields.Find("port")!.Default);
        Assert.Equal(InputType.ListOf(InputType.String), inputs.Find("tags")!.Type);
        Assert.Equal(2, inputs.Depth);
    }

    [Fact]
    public void Parse_NoInputs_IsACapabilityForEveryTarget()
    {
        Assert.Null(Valid(Document("")).Inputs);
        Assert.Null(Valid(Document("  inputs: ~\n")).Inputs);
        Assert.False(Valid(Document("")).HasInputs);
    }

    public static TheoryData<string, string, int, int, string> Problems => new()
    {
        // spec lines, field, line, column, message (start)
        { "  inputs:\n    greeting: strin\n", "spec.inputs.greeting", 6, 15, "unknown type 'strin' (did you mean 'string'?)" },
        { "  inputs:\n    greeting: string | minimum=1\n", "spec.inputs.greeting", 6, 24, "minimum does not apply to string inputs" },
        { "  inputs:\n    greeting: string | colour=red\n", "spec.inputs.greeting", 6, 24, "unknown marker 'colour'" },
        { "  inputs:\n    replicas: integer | default=0 minimum=1\n", "spec.inputs.replicas", 6, 33, "the default does not fit its own declaration: 0 is less than the minimum 1" },
        { "  inputs:\n    replicas: integer | required=true default=1\n", "spec.inputs.replicas", 6, 39, "an input with a default is never missing" },
        { "  inputs:\n    greeting: 'string | default=\"a b'\n", "spec.inputs.greeting", 6, 33, "the quoted value of 'default' has no closing" },
        { "  inputs:\n    greeting: \"string | default=\\\"x\\\" pattern=(\"\n", "spec.inputs.greeting", 6, 47, "pattern: invalid regular expression '('" },
        { "  inputs:\n    my-name: string\n", "spec.inputs.my-name", 6, 5, "'my-name' is not a valid input name: letters, digits and '_'" },
        { "  inputs:\n    1st: string\n", "spec.inputs.1st", 6, 5, "'1st' is not a valid input name" },
        { "  inputs:\n    in: string\n", "spec.inputs.in", 6, 5, "'in' is not a valid input name" },
        { "  inputs:\n    while: string\n", "spec.inputs.while", 6, 5, "'while' is not a valid input name" },
        { "  inputs:\n    db:\n      host-name: string\n", "spec.inputs.db.host-name", 7, 7, "'host-name' is not a valid input name" },
        { "  inputs:\n    a: string\n    a: integer\n", "spec.inputs.a", 7, 5, "duplicate input 'a'" },
        { "  inputs:\n    a:\n", "spec.inputs.a", 6, 7, "an input needs a type, e.g. 'a: string'" },
        { "  inputs:\n    a: [string]\n", "spec.inputs.a", 6, 8, "must be a type such as 'string | default=\"x\"' or a mapping of fields, not a list" },
        { "  inputs:\n    a: {}\n", "spec.inputs.a", 6, 8, "an object input needs at least one field" },
        { "  inputs: {}\n", "spec.inputs", 5, 11, "inputs needs at least one input" },
        { "  inputs: string\n", "spec.inputs", 5, 11, "must be a mapping, not a string" },
        { "  inputs:\n    ? [a]\n    : string\n", "spec.inputs", 6, 7, "input names must be strings, not a list" },
    };

    [Theory]
    [MemberData(nameof(Problems))]
    public void Parse_BadInputs_AreReportedAtTheCharacter(string inputs, string field, int line, int column, string message)
    {
        var document = Parse(Document(inputs));
        Assert.False(document.IsValid);
        var error = Assert.Single(document.Errors);
        Assert.Equal((field, line, column), (error.Field, error.Line, error.Column));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Equal("cap.yaml", error.Source);
    }

    [Fact]
    public void Parse_EveryBadInput_IsReported()
    {
        var document = Parse(Document("  inputs:\n    a: strin\n    b: integer | default=x\n    c-d: boolean\n    e:\n      f: number | minimum=2 maximum=1\n"));
        Assert.Equal(["spec.inputs.a", "spec.inputs.b", "spec.inputs.c-d", "spec.inputs.e.f"], document.Errors.Select(e => e.Field));
        Assert.Equal([6, 7, 8, 10], document.Errors.Select(e => e.Line));
    }

    [Fact]
    public void Parse_TooManyInputs_IsRefused()
    {
        var many = string.Concat(Enumerable.Range(0, InputSchema.MaxFields + 1).Select(i => $"    i{i}: string\n"));
        var error = Assert.Single(Parse(Document("  inputs:\n" + many)).Errors);
        Assert.Equal(("spec.inputs", 6), (error.Field, error.Line));
        Assert.Equal("at most 100 inputs are allowed here, not 101", error.Message);

        var nested = string.Concat(Enumerable.Range(0, InputSchema.MaxFields + 1).Select(i => $"      f{i}: string\n"));
        Assert.Equal("at most 100 fields are allowed here, not 101", Assert.Single(Parse(Document("  inputs:\n    o:\n" + nested)).Errors).Message);

        var exactly = string.Concat(Enumerable.Range(0, InputSchema.MaxFields).Select(i => $"    i{i}: string\n"));
        Assert.Equal(InputSchema.MaxFields, Valid(Document("  inputs:\n" + exactly)).Inputs!.Fields.Count);
    }

    [Theory]
    [InlineData(8, "string", true)]
    [InlineData(9, "string", false)]
    [InlineData(1, "[][][][][][][]string", true)]
    [InlineData(2, "[][][][][][][]string", false)]
    [InlineData(7, "map[string]integer", true)]
    [InlineData(8, "[]string", false)]
    public void Parse_Nesting_IsBoundedAtEightLevels(int levels, string leaf, bool accepted)
    {
        // levels - 1 nested objects, then the leaf: the inputs themselves are level 1.
        var yaml = "  inputs:\n";
        for (var level = 1; level < levels; level++)
        {
            yaml += new string(' ', 2 + (2 * level)) + $"o{level}:\n";
        }

        yaml += new string(' ', 2 + (2 * levels)) + $"leaf: \"{leaf}\"\n";
        var document = Parse(Document(yaml));
        Assert.Equal(accepted, document.IsValid);
        if (!accepted)
        {
            Assert.Contains("inputs may nest at most 8 levels deep", Assert.Single(document.Errors).Message, StringComparison.Ordinal);
        }
    }

    private static string WithContent(string content, string inputs = "  inputs:\n    greeting: string | default=hi\n    replicas: integer | default=1\n    ratio: number\n    db:\n      port: integer\n") =>
        Document(inputs, "  resources:\n    - id: motd\n      file: { path: etc/motd, content: \"" + content + "\" }\n");

    [Theory]
    [InlineData("${inputs.greeting} x${inputs.replicas + 1}")]
    [InlineData("${instance.name}: ${inputs.db.port * 2}")]
    [InlineData("${inputs.ratio * 2.0} ${has(inputs.db.port)}")]
    [InlineData("${string(inputs.replicas) + inputs.greeting}")]
    [InlineData("${inputs.greeting.startsWith('h') ? target.name : capability.name}")]
    public void Parse_TemplatesReadingInputs_AreAccepted(string content) => Valid(WithContent(content));

    public static TheoryData<string, int, string> BadTemplates => new()
    {
        // content, column (of the offending token: the expression starts at column 43), message (start)
        { "${inputs.nope}", 50, "expression error at position 7 of '${inputs.nope}': undefined field 'nope' (fields of inputs: db, greeting, ratio, replicas)" },
        { "${inputs.replicas + 'x'}", 59, "expression error at position 16 of '${inputs.replicas + 'x'}': no matching overload for '+' applied to (int, string)" },
        { "${inputs.ratio * 2}", 56, "expression error at position 13 of '${inputs.ratio * 2}': no matching overload for '*' applied to (double, int)" },
        { "${inputs.db.host}", 53, "expression error at position 10 of '${inputs.db.host}': undefined field 'host' (fields of inputs.db: port)" },
        { "${instance.namespace}", 52, "expression error at position 9 of '${instance.namespace}': undefined field 'namespace' (fields of instance: name)" },
        { "${inputs.greeting && true}", 59, "expression error at position 16 of '${inputs.greeting && true}': the left operand of '&&' must be a bool, not string" },
    };

    [Theory]
    [MemberData(nameof(BadTemplates))]
    public void Parse_TemplatesMisusingInputs_AreRefusedAtTheCharacter(string content, int column, string message)
    {
        var error = Assert.Single(Parse(WithContent(content)).Errors);
        Assert.Equal(("spec.resources[0].file.content", 13, column), (error.Field, error.Line, error.Column));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("${inputs.greeting}", "inputs")]
    [InlineData("${instance.name}", "instance")]
    public void Parse_InputsWithoutInputs_AreUnknownVariables(string content, string variable)
    {
        var error = Assert.Single(Parse(WithContent(content, inputs: "")).Errors);
        Assert.Equal("spec.resources[0].file.content", error.Field);
        Assert.StartsWith($"unknown variable '{variable}' in '{content}' (available here: capability, resources, target)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PlacementWhen_StaysTargetOnly()
    {
        var yaml = WithContent("x").Replace("spec:\n", "spec:\n  placement:\n    when: ${inputs.replicas > 1}\n", StringComparison.Ordinal);
        var error = Assert.Single(Parse(yaml).Errors);
        Assert.Equal(("spec.placement.when", 6, 11), (error.Field, error.Line, error.Column));
        Assert.StartsWith("unknown variable 'inputs' in '${inputs.replicas > 1}' (available here: target)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_IncludeWhenAndReadyWhen_MayReadInputs()
    {
        var spec = Valid(Document("  inputs:\n    replicas: integer | default=1\n    canary: boolean | default=false\n", """
              resources:
                - id: web
                  manifest: { apiVersion: apps/v1, kind: Deployment, metadata: { name: "web-${instance.name}" }, spec: { replicas: "${inputs.replicas}" } }
                  readyWhen: ["${self.status.readyReplicas == inputs.replicas}"]
                  includeWhen: ["${inputs.canary || inputs.replicas > 2}"]
            """ + "\n"));
        Assert.Equal(["${self.status.readyReplicas == inputs.replicas}"], spec.Resources[0].ReadyWhen);
        Assert.Equal(["${inputs.canary || inputs.replicas > 2}"], spec.Resources[0].IncludeWhen);
    }

    [Theory]
    [InlineData("includeWhen: [\"${inputs.replicas}\"]", "spec.resources[0].includeWhen[0]", "includeWhen must give a bool, but '${inputs.replicas}' gives int")]
    [InlineData("includeWhen: [\"${inputs.nope}\"]", "spec.resources[0].includeWhen[0]", "expression error at position 7 of '${inputs.nope}': undefined field 'nope'")]
    [InlineData("readyWhen: [\"${self.ready == inputs.nope}\"]", "spec.resources[0].readyWhen[0]", "expression error at position 21 of '${self.ready == inputs.nope}': undefined field 'nope'")]
    public void Parse_ConditionsMisusingInputs_AreRefused(string condition, string field, string message)
    {
        var error = Assert.Single(Parse(Document("  inputs:\n    replicas: integer\n",
            "  resources:\n    - id: web\n      manifest: { apiVersion: v1, kind: ConfigMap, metadata: { name: web } }\n      " + condition + "\n")).Errors);
        Assert.Equal(field, error.Field);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadDeclaration_DoesNotAlsoRefuseTheTemplatesThatReadIt()
    {
        // One mistake, one error: the templates may still read inputs while the declaration is being fixed.
        var error = Assert.Single(Parse(WithContent("${inputs.greeting}", inputs: "  inputs:\n    greeting: strin\n")).Errors);
        Assert.Equal("spec.inputs.greeting", error.Field);
    }

    [Fact]
    public void Parse_InputsAfterResources_StillTypeTheTemplates()
    {
        var yaml = "apiVersion: fleet/v1alpha1\nkind: Capability\nmetadata: { name: motd }\nspec:\n"
            + "  resources:\n    - id: motd\n      file: { path: etc/motd, content: \"${inputs.replicas + 'x'}\" }\n  inputs:\n    replicas: integer\n";
        var error = Assert.Single(Parse(yaml).Errors);
        Assert.Equal(("spec.resources[0].file.content", 7), (error.Field, error.Line));
        Assert.Contains("no matching overload for '+' applied to (int, string)", error.Message, StringComparison.Ordinal);
    }
}
