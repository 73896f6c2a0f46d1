using Fleet.Domain.Model;
using Fleet.Domain.Placement;
using Fleet.Domain.Rendering;

namespace Fleet.Domain.Tests.Rendering;

/// <summary>CEL inside capability templates and placement: what an operator writes in YAML, rendered for a target.</summary>
public sealed class CelTemplateRenderingTests
{
    private static readonly CapabilityRenderer Renderer = new(TemplateEnvironment.Engine);

    private static TargetInfo Target(params (string Key, string Value)[] labels) =>
        new("web-1", labels.ToDictionary(l => l.Key, l => l.Value), new Dictionary<string, string> { ["cpus"] = "4" }, "files");

    private static CompiledCapability Compile(string content, string? when = null) => Renderer.Compile(new CapabilitySpec
    {
        Name = "cel",
        Version = "2.1",
        Placement = new PlacementSpec { When = when },
        Resources = [new ResourceSpec { Id = "f", File = new FileSpec { Path = "f", Content = content } }],
    }, revision: 7);

    [Theory]
    [InlineData("${target.labels.ring == 'canary' ? 'early' : 'late'}", "early")]
    [InlineData("${size(target.labels)} labels", "2 labels")]
    [InlineData("${target.labels.exists(k, k.startsWith('ri'))}", "true")]
    [InlineData("${target.labels.filter(k, k != 'ring')}", "[\"zone\"]")]
    [InlineData("${int(target.facts.cpus) * 2} workers", "8 workers")]
    [InlineData("${double(target.facts.cpus) / 8.0}", "0.5")]
    [InlineData("rev ${capability.revision + 1 == 8}", "rev true")]
    [InlineData("${uint(capability.revision)}", "7")]
    [InlineData("${target.name.matches('^web-[0-9]+$')}", "true")]
    [InlineData("${has(target.labels.zone) ? target.labels.zone : 'none'}", "eu-1")]
    [InlineData("${'zone' in target.labels}", "true")]
    [InlineData("${b'bytes'}", "bytes")]
    [InlineData("${type(capability.revision)}", "int")]
    [InlineData("${r'C:\\dir'}", "C:\\dir")]
    [InlineData("${'}'} and ${r'}'} and ${'''}'''}", "} and } and }")]
    [InlineData("${{'a': 1}.a}", "1")]
    [InlineData("${[1, 2].map(x, {'n': x})}", "[{\"n\":1},{\"n\":2}]")]
    public void Render_CelTemplate_SplicesItsValue(string content, string expected)
    {
        var rendered = Compile(content).Render(Target(("ring", "canary"), ("zone", "eu-1")));
        Assert.Null(rendered.Error);
        Assert.Equal(expected, rendered.Resources[0].File!.Content);
    }

    [Fact]
    public void Render_EvaluationError_NamesTheResourceAndTheExpression()
    {
        var rendered = Compile("${int(target.labels.ring)}").Render(Target(("ring", "canary")));
        Assert.Equal("resource 'f' file.content: int() cannot convert 'canary' (in '${int(target.labels.ring)}')", rendered.Error);
    }

    [Theory]
    [InlineData("${target.labels.ring in ['canary', 'beta']}", true)]
    [InlineData("${target.labels.exists(k, target.labels[k] == 'canary')}", true)]
    [InlineData("${has(target.labels.tier) && target.labels.tier == 'legacy'}", false)]
    [InlineData("${!has(target.labels.tier) || target.labels.tier != 'legacy'}", true)]
    [InlineData("${int(target.facts.cpus) >= 4}", true)]
    public void Place_CelWhen_Decides(string when, bool placed) =>
        Assert.Equal(placed, Compile("x", when).Place(Target(("ring", "canary"))).Placed);

    [Fact]
    public void Place_WhenFailsForThisTarget_IsNotPlacedWithTheReason()
    {
        var decision = Compile("x", "${target.labels.tier == 'legacy'}").Place(Target(("ring", "canary")));
        Assert.Equal(new PlacementDecision(false, "when ${target.labels.tier == 'legacy'} failed: no such key: tier (in '${target.labels.tier == 'legacy'}')") { WhenFailed = true }, decision);
    }

    [Fact]
    public void Engine_Templates_AreCheckedAgainstTheDeclaredVariables()
    {
        var engine = TemplateEnvironment.Engine;
        Assert.Equal("undefined field 'nmae' (fields of target: driver, facts, labels, name)", engine.Compile("target.nmae").Error);
        Assert.Equal("undefined field 'rev' (fields of capability: name, revision, version)", engine.Compile("capability.rev").Error);
        Assert.Equal("no matching overload for '+' applied to (string, int)", engine.Compile("target.name + 1").Error);
        Assert.Equal("no matching overload for '-' applied to (int, string)", engine.Compile("capability.revision - target.labels.x").Error);
        // Variables other features bring (inputs, self, resources) compile as dyn; the reader decides where they are allowed.
        Assert.True(engine.Compile("self.status.ready && inputs.replicas > 1").Succeeded);
    }
}
