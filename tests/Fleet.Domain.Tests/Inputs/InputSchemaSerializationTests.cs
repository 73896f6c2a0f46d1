using System.Text.Json;
using Fleet.Domain.Model;
using Fleet.Domain.Rendering;
using Fleet.Domain.Serialization;
using Fleet.Domain.Tests.Serialization;
using Fleet.Domain.Yaml;

namespace Fleet.Domain.Tests.Inputs;

/// <summary>
/// A capability's inputs in its stored forms: the canonical JSON revisions are compared on, and the YAML
/// <c>fleet describe</c> prints.
/// </summary>
public sealed class InputSchemaSerializationTests
{
    private const string Inputs = """
          inputs:
            greeting: string | default="hello world" description="What \"motd\" says"
            replicas: integer | default=1 minimum=1 maximum=10
            ratio: number | default=0.5 minimum=0 enum=0.5,1,1.5
            size: string | enum="s, m,l" pattern=^[a-z]$ minLength=1 maxLength=1 required=true
            tags: '[]string | default="[\"a\",\"b c\"]" minItems=1 maxItems=5'
            limits: map[string]integer | default={"cpu":2}
            flags: "[]map[string]boolean"
            note: "string | description=\"two\nlines\" default=\"tab\there\""
            db:
              host: string
              pool:
                size: integer | default=10
        """;

    private static CapabilitySpec Read(string inputs)
    {
        var yaml = "apiVersion: fleet/v1alpha1\nkind: Capability\nmetadata: { name: motd }\nspec:\n" + inputs
            + "\n  resources:\n    - id: motd\n      file: { path: etc/motd, content: x }\n";
        var document = Assert.Single(DocumentParser.ParseAll(yaml, "motd.yaml", TemplateEnvironment.Engine));
        Assert.True(document.IsValid, string.Join("\n", document.Errors));
        return document.Capability!;
    }

    [Fact]
    public void Serialize_Inputs_IsTheCanonicalForm()
    {
        // Pinned: revisions are compared and hashed on this text, so it must never drift.
        var json = CapabilitySpecJson.Serialize(Read("  inputs:\n    replicas: integer | maximum=10 default=1 minimum=1\n    db:\n      host: string | required=true\n    greeting: string | default=\"hi\"\n"));
        Assert.Equal(
            """{"name":"motd","version":"","inputs":{"db":{"type":"object","fields":{"host":{"type":"string","required":true}}},"greeting":{"type":"string","default":"hi"},"replicas":{"type":"integer","default":1,"minimum":1,"maximum":10}},"placement":{"selector":{"matchLabels":{},"matchExpressions":[]}},"resources":[{"id":"motd","file":{"path":"etc/motd","content":"x"}}],"rollout":{}}""",
            json);
    }

    [Fact]
    public void Serialize_WithoutInputs_IsUnchanged()
    {
        // Capabilities stored before inputs existed keep their revision identity.
        Assert.DoesNotContain("inputs", CapabilitySpecJson.Serialize(Specs.Full()), StringComparison.Ordinal);
        Assert.Null(CapabilitySpecJson.Deserialize(CapabilitySpecJson.Serialize(Specs.Minimal())).Inputs);
    }

    [Fact]
    public void Deserialize_Serialized_RoundTripsEveryTypeAndMarker()
    {
        var spec = Read(Inputs);
        var json = CapabilitySpecJson.Serialize(spec);
        var back = CapabilitySpecJson.Deserialize(json);
        Assert.Equal(spec.Inputs, back.Inputs);
        Assert.Equal(json, CapabilitySpecJson.Serialize(back));
        Assert.Equal(0.5, back.Inputs!.Find("ratio")!.Default);
        Assert.Equal([0.5, 1.0, 1.5], back.Inputs.Find("ratio")!.Enum!);
        Assert.Equal(0.0, back.Inputs.Find("ratio")!.Minimum);
        Assert.Equal(["s", "m", "l"], back.Inputs.Find("size")!.Enum!);
    }

    [Fact]
    public void Serialize_FieldOrder_DoesNotMatter()
    {
        var a = Read("  inputs:\n    a: string\n    b: integer | minimum=1 default=2\n");
        var b = Read("  inputs:\n    b: integer | default=2 minimum=1\n    a: string\n");
        Assert.Equal(CapabilitySpecJson.Serialize(a), CapabilitySpecJson.Serialize(b));
    }

    [Theory]
    [InlineData("  inputs:\n    a: string | default=y\n")]
    [InlineData("  inputs:\n    a: string | default=x required=false description=d\n")]
    [InlineData("  inputs:\n    a: \"[]string\"\n")]
    [InlineData("  inputs:\n    a: string | default=x\n    b: string\n")]
    [InlineData("  inputs:\n    b: string | default=x\n")]
    [InlineData("  inputs:\n    a:\n      b: string | default=x\n")]
    [InlineData("")]
    public void Serialize_ChangedInputs_AreAnotherRevision(string changed)
    {
        var original = CapabilitySpecJson.Serialize(Read("  inputs:\n    a: string | default=x\n"));
        Assert.NotEqual(original, CapabilitySpecJson.Serialize(Read(changed)));
        Assert.NotEqual(ContentHash.Of(original), ContentHash.Of(CapabilitySpecJson.Serialize(Read(changed))));
    }

    [Theory]
    [InlineData("""{"name":"x","inputs":{"a":{"type":"strin"}}}""", "inputs.a.type: unknown type 'strin'")]
    [InlineData("""{"name":"x","inputs":{"a":{"type":"integer","default":"1"}}}""", "inputs.a.default: must be an integer")]
    [InlineData("""{"name":"x","inputs":{"a":{"type":"object"}}}""", "missing property 'fields'")]
    [InlineData("""{"name":"x","inputs":{"a":{"type":"string","minLength":-1}}}""", "inputs.a.minLength must be a whole number")]
    [InlineData("""{"name":"x","inputs":[]}""", "inputs must be a JSON object")]
    public void Deserialize_NotAnInputSchema_Throws(string json, string message)
    {
        var e = Assert.Throws<JsonException>(() => CapabilitySpecJson.Deserialize(json));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_ParsedBack_GivesTheSameInputs()
    {
        var spec = Read(Inputs);
        var yaml = CapabilitySpecYaml.Serialize(spec);
        var document = DocumentParser.ParseOne(yaml, "describe.yaml", 1, TemplateEnvironment.Engine);
        Assert.True(document.IsValid, yaml + "\n" + string.Join("\n", document.Errors));
        Assert.Equal(CapabilitySpecJson.Serialize(spec), CapabilitySpecJson.Serialize(document.Capability!));
    }

    [Fact]
    public void Yaml_ReadsLikeTheSpecShape()
    {
        var yaml = CapabilitySpecYaml.Serialize(Read("  inputs:\n    replicas: integer | default=1 minimum=1 maximum=10\n    greeting: string | default=\"hello\"\n    db:\n      port: integer\n"));
        Assert.Contains(
            "spec:\n  inputs:\n    db:\n      port: integer\n    greeting: string | default=hello\n    replicas: integer | default=1 minimum=1 maximum=10\n  resources:\n",
            yaml.ReplaceLineEndings("\n"),
            StringComparison.Ordinal);
    }
}
