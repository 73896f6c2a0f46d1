using Fleet.Domain.Expressions;
using Fleet.Domain.Model;
using Fleet.Domain.Rendering;

namespace Fleet.Domain.Tests.Rendering;

public sealed class CompiledCapabilityTests
{
    private static readonly CapabilityRenderer Renderer = new(TemplateEnvironment.Engine);

    private static TargetInfo Target(string name = "a1", string driver = "files", params (string Key, string Value)[] labels) =>
        new(name, labels.ToDictionary(l => l.Key, l => l.Value), new Dictionary<string, string> { ["os"] = "linux" }, driver);

    private static TargetInfo Dev(string name = "a1") => Target(name, "files", ("env", "dev"), ("region", "eu"));

    private static CapabilitySpec Spec(params ResourceSpec[] resources) => new()
    {
        Name = "greeter",
        Version = "1.0",
        Resources = resources.Length > 0 ? resources : [File("hello", "etc/greeter/hello.txt", "hello ${target.name} in ${target.labels.region} v${capability.version} r${capability.revision}")],
    };

    private static ResourceSpec File(string id, string path, string content = "", string? mode = null) =>
        new() { Id = id, File = new FileSpec { Path = path, Content = content, Mode = mode } };

    [Fact]
    public void Render_Templates_UseTargetAndCapability()
    {
        var rendered = Renderer.Compile(Spec(), revision: 3).Render(Dev());
        Assert.Null(rendered.Error);
        Assert.Equal(("greeter", "greeter", 3L), (rendered.Key, rendered.Capability, rendered.Revision));
        var resource = Assert.Single(rendered.Resources);
        Assert.Equal("hello", resource.Id);
        Assert.Equal(new RenderedFile("etc/greeter/hello.txt", "hello a1 in eu v1.0 r3", "0644"), resource.File);
        Assert.StartsWith("sha256:", resource.Hash, StringComparison.Ordinal);
        Assert.StartsWith("sha256:", rendered.Hash, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_LabelsInPathAndFacts_AreTemplated()
    {
        var spec = Spec(File("f", "etc/${target.labels.env}/${target.name}.conf", "${target.facts.os} ${target.driver} ${target.labels}"));
        var file = Renderer.Compile(spec, 1).Render(Dev()).Resources[0].File!;
        Assert.Equal("etc/dev/a1.conf", file.Path);
        Assert.Equal("linux files {\"env\":\"dev\",\"region\":\"eu\"}", file.Content);
    }

    [Theory]
    [InlineData(null, "0644")]
    [InlineData("644", "0644")]
    [InlineData("0600", "0600")]
    [InlineData("755", "0755")]
    public void Render_Mode_IsFourOctalDigits(string? mode, string expected) =>
        Assert.Equal(expected, Renderer.Compile(Spec(File("f", "f", "", mode)), 1).Render(Dev()).Resources[0].File!.Mode);

    [Fact]
    public void Render_SameInputs_GiveTheSameHashes()
    {
        var first = Renderer.Compile(Spec(), 1).Render(Dev());
        var second = Renderer.Compile(Spec(), 1).Render(Dev());
        Assert.Equal(first.Hash, second.Hash);
        Assert.Equal(first.Resources[0].Hash, second.Resources[0].Hash);
    }

    [Fact]
    public void Render_RevisionAloneChanges_CapabilityHashIsUnchanged()
    {
        var spec = Spec(File("f", "f", "static"));
        Assert.Equal(Renderer.Compile(spec, 1).Render(Dev()).Hash, Renderer.Compile(spec, 2).Render(Dev()).Hash);
    }

    public static TheoryData<string, ResourceSpec> Changes => new()
    {
        { "content", File("f", "f", "other") },
        { "path", File("f", "g", "static") },
        { "mode", File("f", "f", "static", "0600") },
        { "id", File("g", "f", "static") },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void Render_AnyAppliedFieldChanges_HashesChange(string what, ResourceSpec changed)
    {
        var before = Renderer.Compile(Spec(File("f", "f", "static")), 1).Render(Dev());
        var after = Renderer.Compile(Spec(changed), 1).Render(Dev());
        Assert.True(before.Hash != after.Hash, what);
        Assert.True(before.Resources[0].Hash != after.Resources[0].Hash, what);
    }

    [Fact]
    public void Render_ExplicitDefaultMode_HashesLikeNoMode() =>
        Assert.Equal(
            Renderer.Compile(Spec(File("f", "f", "x")), 1).Render(Dev()).Hash,
            Renderer.Compile(Spec(File("f", "f", "x", "644")), 1).Render(Dev()).Hash);

    [Fact]
    public void Render_DifferentTargets_DifferWhereTemplatesDo()
    {
        var compiled = Renderer.Compile(Spec(), 1);
        Assert.NotEqual(compiled.Render(Dev("a1")).Hash, compiled.Render(Dev("a2")).Hash);
        var staticSpec = Renderer.Compile(Spec(File("f", "f", "same")), 1);
        Assert.Equal(staticSpec.Render(Dev("a1")).Hash, staticSpec.Render(Dev("a2")).Hash);
    }

    [Fact]
    public void Render_ResourceOrder_IsKeptAndHashed()
    {
        var ab = Renderer.Compile(Spec(File("a", "a"), File("b", "b")), 1).Render(Dev());
        var ba = Renderer.Compile(Spec(File("b", "b"), File("a", "a")), 1).Render(Dev());
        Assert.Equal(["a", "b"], ab.Resources.Select(r => r.Id));
        Assert.Equal(["b", "a"], ba.Resources.Select(r => r.Id));
        Assert.NotEqual(ab.Hash, ba.Hash);
    }

    [Theory]
    [InlineData("exec")]
    [InlineData("kubernetes")]
    public void Render_DriverWithoutApplicableResources_IsAnError(string driver)
    {
        var rendered = Renderer.Compile(Spec(), 1).Render(Target("k1", driver));
        Assert.Equal($"driver '{driver}' can apply none of the resources of capability 'greeter'", rendered.Error);
        Assert.Empty(rendered.Resources);
        Assert.StartsWith("sha256:", rendered.Hash, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ResourceWithoutKind_IsLeftToNoDriver()
    {
        var rendered = Renderer.Compile(Spec(File("f", "f"), new ResourceSpec { Id = "future" }), 1).Render(Dev());
        Assert.Null(rendered.Error);
        Assert.Equal(["f"], rendered.Resources.Select(r => r.Id));
    }

    [Fact]
    public void Render_MissingLabel_ErrorNamesResourceAndField()
    {
        var rendered = Renderer.Compile(Spec(File("motd", "f", "tier ${target.labels.tier}")), 1).Render(Dev());
        Assert.Empty(rendered.Resources);
        Assert.NotNull(rendered.Error);
        Assert.StartsWith("resource 'motd' file.content: no such key: tier", rendered.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("${target.labels.dir}/x", "..", "'..'")]
    [InlineData("${target.labels.dir}", "/etc", "not absolute")]
    [InlineData("a/${target.labels.dir}", "", "empty segment")]
    [InlineData("a/${target.labels.dir}/b", "../../..", "'..'")]
    public void Render_PathEscapingAfterTemplating_IsAnError(string path, string dir, string message)
    {
        var rendered = Renderer.Compile(Spec(File("f", path)), 1).Render(Target("a1", "files", ("dir", dir)));
        Assert.Empty(rendered.Resources);
        Assert.StartsWith("resource 'f' file.path: ", rendered.Error, StringComparison.Ordinal);
        Assert.Contains(message, rendered.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_UncompilableTemplate_IsAnErrorNotAnException()
    {
        var rendered = Renderer.Compile(Spec(File("f", "f", "${target.name +}")), 1).Render(Dev());
        Assert.StartsWith("resource 'f' file.content: expression error at position 13", rendered.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HugeRenderedContent_IsAnError()
    {
        var big = new string('x', 600 * 1024);
        var rendered = Renderer.Compile(Spec(File("f", "f", "${target.labels.big}${target.labels.big}")), 1).Render(Target("a1", "files", ("big", big)));
        Assert.Contains("larger than", rendered.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ErrorsThatDiffer_HashDifferently()
    {
        var compiled = Renderer.Compile(Spec(), 1);
        Assert.NotEqual(compiled.Render(Target("x", "exec")).Hash, compiled.Render(Target("x", "kubernetes")).Hash);
    }

    private static CompiledCapability Placed(LabelSelector? selector = null, string? when = null) =>
        Renderer.Compile(Spec() with { Placement = new PlacementSpec { Selector = selector ?? LabelSelector.Everything, When = when } }, 1);

    private static LabelSelector Labels(params (string Key, string Value)[] pairs) =>
        new() { MatchLabels = new SortedDictionary<string, string>(pairs.ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal) };

    [Fact]
    public void Place_NoConstraints_IsPlaced() =>
        Assert.Equal(new Fleet.Domain.Placement.PlacementDecision(true, "no placement constraints"), Placed().Place(Dev()));

    [Fact]
    public void Place_MatchingSelector_SaysWhichSelector() =>
        Assert.Equal(new Fleet.Domain.Placement.PlacementDecision(true, "labels match selector {env=dev}"), Placed(Labels(("env", "dev"))).Place(Dev()));

    [Fact]
    public void Place_OtherLabelValue_SaysWhichLabel() =>
        Assert.Equal(
            new Fleet.Domain.Placement.PlacementDecision(false, "label env=prod does not match selector {env=dev}"),
            Placed(Labels(("env", "dev"))).Place(Target("p1", "files", ("env", "prod"))));

    [Fact]
    public void Place_MissingLabelForIn_SaysWhatTheSelectorWants()
    {
        var selector = new LabelSelector { MatchExpressions = [new LabelSelectorRequirement("region", SelectorOperator.In, ["eu", "us"])] };
        Assert.Equal(
            new Fleet.Domain.Placement.PlacementDecision(false, "label region is missing (selector wants region In [eu, us])"),
            Placed(selector).Place(Target("x", "files", ("env", "dev"))));
    }

    [Theory]
    [InlineData("${target.labels.env == 'dev'}", true, "when ${target.labels.env == 'dev'} is true")]
    [InlineData("${target.labels.env == 'prod'}", false, "when ${target.labels.env == 'prod'} is false")]
    [InlineData("${target.labels.tier != 'legacy'}", false, "failed: no such key: tier")]
    [InlineData("${target.name}", false, "must give a bool, not string 'a1'")]
    [InlineData("${target.labels}", false, "must give a bool, not map")]
    [InlineData("${target.name +}", false, "failed: expression error")]
    public void Place_When_DecidesAfterTheSelector(string when, bool placed, string reason)
    {
        var decision = Placed(when: when).Place(Dev());
        Assert.Equal(placed, decision.Placed);
        Assert.Contains(reason, decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Place_SelectorAndWhen_ReportBoth()
    {
        var decision = Placed(Labels(("env", "dev")), "${target.labels.region == 'eu'}").Place(Dev());
        Assert.Equal(new Fleet.Domain.Placement.PlacementDecision(true, "labels match selector {env=dev} and when ${target.labels.region == 'eu'} is true"), decision);
    }

    [Fact]
    public void Place_SelectorFails_WhenIsNotConsulted()
    {
        // The when would throw (no tier label); the selector decides first.
        var decision = Placed(Labels(("env", "prod")), "${target.labels.tier == 'x'}").Place(Dev());
        Assert.Equal("label env=dev does not match selector {env=prod}", decision.Reason);
    }

    [Fact]
    public void Compile_KeepsSpecAndRevision()
    {
        var spec = Spec();
        var compiled = Renderer.Compile(spec, 7);
        Assert.Same(spec, compiled.Spec);
        Assert.Equal(7, compiled.Revision);
    }
}
