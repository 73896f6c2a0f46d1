using Fleet.Domain.Inputs;
using Fleet.Domain.Model;
using Fleet.Domain.Rendering;
using Fleet.Domain.Yaml;

namespace Fleet.Domain.Tests.Rendering;

/// <summary>A capability with inputs rendered per Instance (SPEC §2, §3): key, variables, defaults, readyWhen, and the refusals.</summary>
public sealed class InstanceRenderingTests
{
    private static readonly CapabilityRenderer Renderer = new(TemplateEnvironment.Engine);

    private const string Motd = """
        apiVersion: fleet/v1alpha1
        kind: Capability
        metadata: { name: motd }
        spec:
          version: "2.0"
          inputs:
            greeting: string | default="hello"
            replicas: integer | default=1 minimum=1
            loud: boolean | default=false
            db:
              port: integer | default=5432
          placement:
            selector: { matchLabels: { env: dev } }
          resources:
            - id: motd
              file: { path: "etc/motd-${instance.name}", content: "${inputs.greeting} from ${target.name} x${inputs.replicas} db:${inputs.db.port} r${capability.revision}" }
            - id: shout
              file: { path: etc/shout, content: "${inputs.greeting + '!'}" }
              includeWhen: ["${inputs.loud}"]
            - id: web
              manifest: { apiVersion: apps/v1, kind: Deployment, metadata: { name: "web-${instance.name}" }, spec: { replicas: "${inputs.replicas}" } }
              readyWhen: ["${self.status.readyReplicas == inputs.replicas && self.metadata.name == 'web-' + instance.name}"]
        """;

    private static CompiledCapability Compile(string yaml = Motd, long revision = 4)
    {
        var document = Assert.Single(DocumentParser.ParseAll(yaml, "motd.yaml", TemplateEnvironment.Engine));
        Assert.True(document.IsValid, string.Join("\n", document.Errors));
        return Renderer.Compile(document.Capability!, revision);
    }

    private static TargetInfo Target(string driver = "files", string name = "a1") =>
        new(name, new Dictionary<string, string> { ["env"] = "dev" }, new Dictionary<string, string>(), driver);

    private static Dictionary<string, object?> Inputs(params (string Name, object? Value)[] values) => values.ToDictionary(v => v.Name, v => v.Value);

    [Fact]
    public void ForInstance_Render_BindsInputsAndInstanceName()
    {
        var compiled = Compile().ForInstance("team-a", Inputs(("greeting", "hi"), ("replicas", 3L)));
        Assert.Equal("team-a", compiled.Instance);
        Assert.True(compiled.HasInputs);
        var rendered = compiled.Render(Target());
        Assert.Null(rendered.Error);
        Assert.Equal(("motd/team-a", "motd", 4L), (rendered.Key, rendered.Capability, rendered.Revision));
        var file = Assert.Single(rendered.Resources).File!;
        Assert.Equal(("etc/motd-team-a", "hi from a1 x3 db:5432 r4"), (file.Path, file.Content));
    }

    [Fact]
    public void ForInstance_LeftOutInputs_RenderTheirDefaults()
    {
        var file = Compile().ForInstance("team-b", new Dictionary<string, object?>()).Render(Target()).Resources[0].File!;
        Assert.Equal("hello from a1 x1 db:5432 r4", file.Content);
    }

    [Fact]
    public void ForInstance_IncludeWhen_ReadsInputs()
    {
        var rendered = Compile().ForInstance("team-a", Inputs(("greeting", "hi"), ("loud", true))).Render(Target());
        Assert.Equal(["motd", "shout"], rendered.Resources.Select(r => r.Id));
        Assert.Equal("hi!", rendered.Resources[1].File!.Content);
    }

    [Fact]
    public void ForInstance_Manifest_GetsTypedInputsAndReadyWhenWithTheValuesWrittenIn()
    {
        var rendered = Compile().ForInstance("team-a", Inputs(("replicas", 3L))).Render(Target("kubernetes"));
        Assert.Null(rendered.Error);
        var manifest = Assert.Single(rendered.Resources).Manifest!;
        Assert.Equal("web-team-a", manifest.Name);
        Assert.Contains("\"replicas\":3", manifest.Json, StringComparison.Ordinal);
        Assert.Equal(["${self.status.readyReplicas == 3 && self.metadata.name == 'web-' + \"team-a\"}"], manifest.ReadyWhen);
    }

    [Fact]
    public void ForInstance_ReadyWhen_IsPartOfTheResourceHash()
    {
        var three = Compile().ForInstance("team-a", Inputs(("replicas", 3L))).Render(Target("kubernetes")).Resources[0];
        var four = Compile().ForInstance("team-a", Inputs(("replicas", 4L))).Render(Target("kubernetes")).Resources[0];
        Assert.NotEqual(three.Hash, four.Hash);
    }

    [Fact]
    public void ForInstance_OtherInstanceOrInputs_HashDifferently()
    {
        var compiled = Compile();
        var a = compiled.ForInstance("team-a", Inputs(("greeting", "hi"))).Render(Target());
        Assert.Equal(a.Hash, compiled.ForInstance("team-a", Inputs(("greeting", "hi"))).Render(Target()).Hash);
        Assert.NotEqual(a.Hash, compiled.ForInstance("team-b", Inputs(("greeting", "hi"))).Render(Target()).Hash);
        Assert.NotEqual(a.Hash, compiled.ForInstance("team-a", Inputs(("greeting", "yo"))).Render(Target()).Hash);
    }

    [Fact]
    public void ForInstance_Place_IsTheCapabilitysPlacement()
    {
        var compiled = Compile().ForInstance("team-a", Inputs());
        Assert.True(compiled.Place(Target()).Placed);
        Assert.False(compiled.Place(new TargetInfo("p1", new Dictionary<string, string> { ["env"] = "prod" }, new Dictionary<string, string>(), "files")).Placed);
    }

    [Fact]
    public void Render_WithoutInstance_IsAClearError()
    {
        var compiled = Compile();
        Assert.Null(compiled.Instance);
        var rendered = compiled.Render(Target());
        Assert.Equal(("motd", "motd"), (rendered.Key, rendered.Capability));
        Assert.Empty(rendered.Resources);
        Assert.Equal("capability 'motd' takes inputs: it is rendered per Instance", rendered.Error);
    }

    [Fact]
    public void ForInstance_InputsThatDoNotFit_RenderEveryViolation()
    {
        var rendered = Compile().ForInstance("team-a", Inputs(("replicas", 0L), ("colour", "red"))).Render(Target());
        Assert.Equal("motd/team-a", rendered.Key);
        Assert.Empty(rendered.Resources);
        Assert.Equal(
            "the inputs of instance 'team-a' do not fit revision 4 of capability 'motd': spec.inputs.colour: unknown input 'colour' "
            + "(inputs of this capability: db, greeting, loud, replicas); spec.inputs.replicas: 0 is less than the minimum 1",
            rendered.Error);
    }

    [Fact]
    public void ForInstance_CapabilityWithoutInputs_IsAClearError()
    {
        var compiled = Renderer.Compile(new CapabilitySpec { Name = "plain", Resources = [new ResourceSpec { Id = "a", File = new FileSpec { Path = "a" } }] }, 1);
        Assert.False(compiled.HasInputs);
        Assert.Null(compiled.Render(Target()).Error);
        var rendered = compiled.ForInstance("team-a", Inputs()).Render(Target());
        Assert.Equal("plain/team-a", rendered.Key);
        Assert.Equal("capability 'plain' takes no inputs: it is delivered to every placed target without an Instance", rendered.Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Team_A")]
    [InlineData("a/b")]
    public void ForInstance_NotAnInstanceName_Throws(string name) =>
        Assert.Throws<ArgumentException>(() => Compile().ForInstance(name, Inputs()));

    [Fact]
    public void ForInstance_ResolvedInputsOfTheInstance_RenderAsGiven()
    {
        var schema = Compile().Spec.Inputs!;
        var resolved = InputValidator.Validate(schema, Inputs(("greeting", "hey"))).Resolved!;
        Assert.Equal("hey from a1 x1 db:5432 r4", Compile().ForInstance("team-a", resolved).Render(Target()).Resources[0].File!.Content);
    }

    [Fact]
    public void ForInstance_OptionalInputLeftOut_FailsOnlyWhereItIsRead()
    {
        var yaml = Motd.Replace("    loud: boolean | default=false\n", "    loud: boolean | default=false\n    note: string\n", StringComparison.Ordinal)
            .Replace("${inputs.greeting + '!'}", "${inputs.note}", StringComparison.Ordinal);
        var compiled = Compile(yaml);
        Assert.Null(compiled.ForInstance("team-a", Inputs()).Render(Target()).Error);
        var rendered = compiled.ForInstance("team-a", Inputs(("loud", true))).Render(Target());
        Assert.StartsWith("resource 'shout' file.content: no such key: note", rendered.Error, StringComparison.Ordinal);
        Assert.Equal("x", compiled.ForInstance("team-a", Inputs(("loud", true), ("note", "x"))).Render(Target()).Resources[1].File!.Content);
    }
}
