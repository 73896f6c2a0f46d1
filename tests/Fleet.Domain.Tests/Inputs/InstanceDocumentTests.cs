using Fleet.Domain.Inputs;
using Fleet.Domain.Model;
using Fleet.Domain.Rendering;
using Fleet.Domain.Serialization;
using Fleet.Domain.Yaml;

namespace Fleet.Domain.Tests.Inputs;

/// <summary><c>kind: Instance</c> documents: how they parse, and their inputs checked against a capability with positions.</summary>
public sealed class InstanceDocumentTests
{
    private const string Capability = """
        apiVersion: fleet/v1alpha1
        kind: Capability
        metadata: { name: motd }
        spec:
          inputs:
            greeting: string | default="hello"
            replicas: integer | default=1 minimum=1 maximum=10
            size: string | enum=s,m,l
            db:
              host: string | required=true
              port: integer | default=5432
          resources:
            - id: motd
              file: { path: etc/motd, content: "${inputs.greeting}" }
        """;

    private static ParsedDocument Parse(string yaml, string source = "team.yaml") => Assert.Single(DocumentParser.ParseAll(yaml, source, TemplateEnvironment.Engine));

    private static InputSchema Schema()
    {
        var document = Parse(Capability, "motd.yaml");
        Assert.True(document.IsValid, string.Join("\n", document.Errors));
        return document.Capability!.Inputs!;
    }

    private static string Instance(string spec) => "apiVersion: fleet/v1alpha1\nkind: Instance\nmetadata:\n  name: team-a\nspec:\n" + spec;

    [Fact]
    public void Parse_SpecExample_BuildsTheInstance()
    {
        var document = Parse("""
            apiVersion: fleet/v1alpha1
            kind: Instance                     # a request for a capability that has inputs
            metadata: { name: team-a-motd }
            spec:
              capability: motd
              inputs: { greeting: "hi team a", replicas: 3, ratio: 0.5, on: true, tags: [a, "1"], nothing: ~, env: { A: x } }
            """);
        Assert.True(document.IsValid, string.Join("\n", document.Errors));
        Assert.Null(document.Capability);
        Assert.Equal(("Instance", "team-a-motd"), (document.Kind, document.Name));
        var instance = document.Instance!;
        Assert.Equal(("team-a-motd", "motd"), (instance.Name, instance.Capability));
        Assert.Equal("hi team a", instance.Inputs["greeting"]);
        Assert.Equal(3L, instance.Inputs["replicas"]);
        Assert.Equal(0.5, instance.Inputs["ratio"]);
        Assert.Equal(true, instance.Inputs["on"]);
        Assert.Equal(["a", "1"], (IEnumerable<object?>)instance.Inputs["tags"]!);
        Assert.Null(instance.Inputs["nothing"]);
        Assert.Equal("x", ((IReadOnlyDictionary<string, object?>)instance.Inputs["env"]!)["A"]);
    }

    [Fact]
    public void Parse_WithoutInputs_HasNone()
    {
        var document = Parse(Instance("  capability: motd\n"));
        Assert.True(document.IsValid, string.Join("\n", document.Errors));
        Assert.Empty(document.Instance!.Inputs);
        Assert.Equal(document.Instance, Parse(Instance("  capability: motd\n  inputs: {}\n")).Instance);
    }

    public static TheoryData<string, string, int, int, string> Problems => new()
    {
        // spec lines, field, line, column, message (start)
        { "  inputs: {}\n", "spec.capability", 6, 3, "capability is required" },
        { "  capability: Motd\n", "spec.capability", 6, 15, "'Motd' is not a valid capability name" },
        { "  capability: [motd]\n", "spec.capability", 6, 15, "must be a string, not a list" },
        { "  capability: motd\n  inputs: [a]\n", "spec.inputs", 7, 11, "must be a mapping, not a list" },
        { "  capability: motd\n  input: {}\n", "spec.input", 7, 3, "unknown field 'input' (did you mean 'inputs'?)" },
        { "  capability: motd\n  inputs: { a: 1, a: 2 }\n", "spec.inputs.a", 7, 19, "duplicate field 'a'" },
        { "  capability: motd\n  inputs: { n: 99999999999999999999 }\n", "spec.inputs.n", 7, 16, "integer 99999999999999999999 does not fit in 64 bits" },
        { "  capability: motd\n  inputs: { n: .nan }\n", "spec.inputs.n", 7, 16, ".nan is not a number JSON can hold" },
        { "  capability: motd\n  inputs: { ? [a] : 1 }\n", "spec.inputs", 7, 15, "keys must be strings, not a list" },
        { "  capability: motd\n  replicas: 3\n", "spec.replicas", 7, 3, "unknown field 'replicas'" },
    };

    [Theory]
    [MemberData(nameof(Problems))]
    public void Parse_BadInstance_IsReportedAtTheCharacter(string spec, string field, int line, int column, string message)
    {
        var document = Parse(Instance(spec));
        Assert.False(document.IsValid);
        Assert.Null(document.Instance);
        var error = Assert.Single(document.Errors);
        Assert.Equal((field, line, column), (error.Field, error.Line, error.Column));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadInstanceName_IsRefused()
    {
        var error = Assert.Single(Parse(Instance("  capability: motd\n").Replace("team-a", "Team_A", StringComparison.Ordinal)).Errors);
        Assert.Equal(("metadata.name", 4, 9), (error.Field, error.Line, error.Column));
    }

    [Fact]
    public void Check_FittingInputs_AreResolvedWithDefaults()
    {
        var result = InstanceInputs.Check(Parse(Instance("  capability: motd\n  inputs:\n    replicas: 3\n    db: { host: db1 }\n")), Schema());
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal("""{"db":{"host":"db1","port":5432},"greeting":"hello","replicas":3}""", InputValuesJson.Serialize(result.Resolved!));
    }

    [Fact]
    public void Check_EveryViolation_IsReportedWhereItIs()
    {
        var document = Parse("# team a\n" + Instance("""
              capability: motd
              inputs:
                replicas: "3"
                size: xl
                greting: hi
                db:
                  port: 0.5
            """ + "\n"), "team.yaml");
        var result = InstanceInputs.Check(document, Schema());
        Assert.False(result.IsValid);
        Assert.Null(result.Resolved);
        Assert.Equal(
            [
                "team.yaml:11:5: spec.inputs.greting: unknown input 'greting' (did you mean 'greeting'?)",
                "team.yaml:12:5: spec.inputs.db.host: field 'host' is required",
                "team.yaml:13:13: spec.inputs.db.port: must be an integer, not 0.5",
                "team.yaml:9:15: spec.inputs.replicas: must be an integer, not string \"3\"",
                "team.yaml:10:11: spec.inputs.size: \"xl\" is not one of \"s\", \"m\", \"l\"",
            ],
            result.Errors.Select(e => e.ToString()));
    }

    [Theory]
    [InlineData("  capability: motd\n  inputs: { replicas: 2 }\n", "team.yaml:7:3: spec.inputs.db.host: field 'host' is required")]
    [InlineData("  capability: motd\n", "team.yaml:5:1: spec.inputs.db.host: field 'host' is required")]
    [InlineData("  capability: motd\n  inputs: { db: { port: 1 } }\n", "team.yaml:7:13: spec.inputs.db.host: field 'host' is required")]
    [InlineData("  capability: motd\n  inputs: { db: { host: h }, replicas: 11 }\n", "team.yaml:7:40: spec.inputs.replicas: 11 is more than the maximum 10")]
    [InlineData("  capability: motd\n  inputs: { db: { host: h, user: u } }\n", "team.yaml:7:28: spec.inputs.db.user: unknown field 'user' (fields of spec.inputs.db: host, port)")]
    [InlineData("  capability: motd\n  inputs: { db: h }\n", "team.yaml:7:17: spec.inputs.db: must be a mapping of fields, not string \"h\"")]
    public void Check_Violation_PointsAtTheValueOrItsNearestField(string spec, string error) =>
        Assert.Equal(error, Assert.Single(InstanceInputs.Check(Parse(Instance(spec)), Schema()).Errors).ToString());

    [Fact]
    public void Check_InADocumentFurtherDownTheFile_CountsLinesFromTheFile()
    {
        var documents = DocumentParser.ParseAll(Capability + "\n---\n" + Instance("  capability: motd\n  inputs: { replicas: 0, db: { host: h } }\n"), "all.yaml", TemplateEnvironment.Engine);
        var schema = documents[0].Capability!.Inputs;
        var error = Assert.Single(InstanceInputs.Check(documents[1], schema).Errors);
        Assert.Equal("all.yaml:22:23: spec.inputs.replicas: 0 is less than the minimum 1", error.ToString());
    }

    [Fact]
    public void Check_CapabilityWithoutInputs_IsRefusedAtTheCapabilityName()
    {
        var error = Assert.Single(InstanceInputs.Check(Parse(Instance("  capability: motd\n  inputs: { a: 1 }\n")), (InputSchema?)null).Errors);
        Assert.Equal(
            "team.yaml:6:15: spec.capability: capability 'motd' takes no inputs: it is delivered to every placed target without an Instance",
            error.ToString());
    }

    [Fact]
    public void Check_AgainstACapabilitySpec_UsesItsInputsAndName()
    {
        var capability = Parse(Capability, "motd.yaml").Capability!;
        var document = Parse(Instance("  capability: motd\n  inputs: { db: { host: h } }\n"));
        Assert.True(InstanceInputs.Check(document, capability).IsValid);
        Assert.Equal(
            "team.yaml:6:15: spec.capability: capability 'motd' does not exist: apply it before its Instances",
            Assert.Single(InstanceInputs.Check(document, (CapabilitySpec?)null).Errors).ToString());
        Assert.Equal(
            "spec.capability: the Instance requests capability 'motd', not 'other'",
            $"{Assert.Single(InstanceInputs.Check(document, capability with { Name = "other" }).Errors).Field}: {Assert.Single(InstanceInputs.Check(document, capability with { Name = "other" }).Errors).Message}");
        Assert.Equal(
            "capability 'motd' takes no inputs: it is delivered to every placed target without an Instance",
            Assert.Single(InstanceInputs.Check(document, capability with { Inputs = null }).Errors).Message);
    }

    [Fact]
    public void Check_NotAnInstance_GivesItsErrorsBack()
    {
        var capability = Parse(Capability, "motd.yaml");
        Assert.Equal("the document is a Capability, not an Instance", Assert.Single(InstanceInputs.Check(capability, Schema()).Errors).Message);
        var broken = Parse(Instance("  capability: Motd\n"));
        Assert.Equal(broken.Errors, InstanceInputs.Check(broken, Schema()).Errors);
    }
}
