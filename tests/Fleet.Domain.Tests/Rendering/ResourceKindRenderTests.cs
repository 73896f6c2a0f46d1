using Fleet.Domain.Expressions;
using Fleet.Domain.Model;
using Fleet.Domain.Rendering;
using Fleet.Domain.Serialization;
using Fleet.Domain.Yaml;

namespace Fleet.Domain.Tests.Rendering;

/// <summary>Rendering manifests and exec resources, and which driver receives which kind.</summary>
public sealed class ResourceKindRenderTests
{
    private static readonly IExpressionEngine Engine = TemplateEnvironment.Engine;
    private static readonly CapabilityRenderer Renderer = new(Engine);

    private const string Mixed = """
        apiVersion: fleet/v1alpha1
        kind: Capability
        metadata: { name: shop }
        spec:
          version: "2.0"
          resources:
            - id: motd
              file: { path: etc/motd, content: "hi ${target.name}" }
            - id: web
              manifest:
                apiVersion: apps/v1
                kind: Deployment
                metadata: { name: "web-${target.name}", namespace: "${target.labels.ns}" }
                spec:
                  replicas: "${target.labels.big == 'yes'}"
                  template: { metadata: { labels: { app: web, version: "v${capability.version}" } } }
                  labels: "${target.labels}"
              readyWhen: [ "${self.status.ready}" ]
            - id: notify
              exec:
                command: [ "/bin/notify", "${target.name}", "rev ${capability.revision}" ]
                stdin: "${target.labels.ns}"
                env: { WHO: "${target.name}" }
                check: [ "/bin/check", "${target.name}" ]
        """;

    private static CompiledCapability Compile(string yaml = Mixed, long revision = 4)
    {
        var document = Assert.Single(DocumentParser.ParseAll(yaml, "t.yaml", Engine));
        Assert.True(document.IsValid, string.Join("\n", document.Errors));
        return Renderer.Compile(document.Capability!, revision);
    }

    private static TargetInfo Target(string driver, string name = "k1") =>
        new(name, new Dictionary<string, string> { ["ns"] = "shop", ["big"] = "yes" }, new Dictionary<string, string>(), driver);

    [Theory]
    [InlineData("files", "motd")]
    [InlineData("kubernetes", "web")]
    [InlineData("exec", "notify")]
    [InlineData("git", "web")]
    public void Render_EachDriver_ReceivesOnlyItsKind(string driver, string id)
    {
        var rendered = Compile().Render(Target(driver));
        Assert.Null(rendered.Error);
        Assert.Equal(id, Assert.Single(rendered.Resources).Id);
    }

    [Fact]
    public void Render_Manifest_TemplatesEveryStringAndWholeExpressionsKeepTheirType()
    {
        var manifest = Assert.Single(Compile().Render(Target("kubernetes")).Resources).Manifest!;

        Assert.Equal(("apps/v1", "Deployment", "web-k1", "shop"), (manifest.ApiVersion, manifest.Kind, manifest.Name, manifest.Namespace));
        Assert.Equal(
            """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web-k1","namespace":"shop"},"spec":{"labels":{"big":"yes","ns":"shop"},"replicas":true,"template":{"metadata":{"labels":{"app":"web","version":"v2.0"}}}}}""",
            manifest.Json);
        Assert.Equal(["${self.status.ready}"], manifest.ReadyWhen);
    }

    [Fact]
    public void Render_Exec_TemplatesArgvStdinEnvAndCheckWithTheDefaultTimeout()
    {
        var exec = Assert.Single(Compile().Render(Target("exec")).Resources).Exec!;

        Assert.Equal(["/bin/notify", "k1", "rev 4"], exec.Command);
        Assert.Equal("shop", exec.Stdin);
        Assert.Equal(new Dictionary<string, string> { ["WHO"] = "k1" }, exec.Env);
        Assert.Equal(RenderedExec.DefaultTimeoutSeconds, exec.TimeoutSeconds);
        Assert.Equal(["/bin/check", "k1"], exec.Check);
        Assert.Null(exec.Delete);
    }

    [Fact]
    public void Render_Hashes_FollowTheRenderedContent()
    {
        var compiled = Compile();
        var k1 = compiled.Render(Target("kubernetes", "k1")).Resources[0].Hash;
        Assert.Equal(k1, compiled.Render(Target("kubernetes", "k1")).Resources[0].Hash);
        Assert.NotEqual(k1, compiled.Render(Target("kubernetes", "k2")).Resources[0].Hash);
        var e1 = compiled.Render(Target("exec", "k1")).Resources[0].Hash;
        Assert.NotEqual(e1, compiled.Render(Target("exec", "k2")).Resources[0].Hash);
        Assert.Equal(e1, Compile(revision: 4).Render(Target("exec", "k1")).Resources[0].Hash);
        Assert.NotEqual(e1, Compile(revision: 5).Render(Target("exec", "k1")).Resources[0].Hash);
    }

    [Fact]
    public void Render_ManifestNameRendersEmpty_IsAnErrorNamingTheResource()
    {
        var yaml = Mixed.Replace("name: \"web-${target.name}\"", "name: \"${target.labels.empty}\"", StringComparison.Ordinal);
        var target = new TargetInfo("k1", new Dictionary<string, string> { ["empty"] = "", ["ns"] = "x", ["big"] = "no" }, new Dictionary<string, string>(), "kubernetes");
        var rendered = Compile(yaml).Render(target);
        Assert.Equal("resource 'web' manifest: apiVersion, kind and metadata.name must render to non-empty strings", rendered.Error);
    }

    [Fact]
    public void Render_ManifestExpressionFails_ErrorNamesThePath()
    {
        var target = new TargetInfo("k1", new Dictionary<string, string> { ["big"] = "no" }, new Dictionary<string, string>(), "kubernetes");
        var rendered = Compile().Render(target);
        Assert.StartsWith("resource 'web' manifest.metadata.namespace: ", rendered.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ExecExpressionFails_ErrorNamesTheField()
    {
        var target = new TargetInfo("k1", new Dictionary<string, string>(), new Dictionary<string, string>(), "exec");
        var rendered = Compile().Render(target);
        Assert.StartsWith("resource 'notify' exec.stdin: ", rendered.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void SpecJsonAndYaml_RoundTripManifestAndExec()
    {
        var spec = Compile().Spec;
        var json = CapabilitySpecJson.Serialize(spec);
        var again = CapabilitySpecJson.Deserialize(json);
        Assert.Equal(json, CapabilitySpecJson.Serialize(again));

        var yaml = CapabilitySpecYaml.Serialize(spec);
        var reparsed = Assert.Single(DocumentParser.ParseAll(yaml, "out.yaml", Engine));
        Assert.True(reparsed.IsValid, string.Join("\n", reparsed.Errors) + "\n" + yaml);
        Assert.Equal(json, CapabilitySpecJson.Serialize(reparsed.Capability!));
    }

    [Fact]
    public void SpecJson_FileOnlyCapability_KeepsItsCanonicalForm()
    {
        var spec = new CapabilitySpec { Name = "min", Resources = [new ResourceSpec { Id = "a", File = new FileSpec { Path = "a" } }] };
        Assert.Equal(
            """{"name":"min","version":"","placement":{"selector":{"matchLabels":{},"matchExpressions":[]}},"resources":[{"id":"a","file":{"path":"a","content":""}}],"rollout":{}}""",
            CapabilitySpecJson.Serialize(spec));
    }
}
