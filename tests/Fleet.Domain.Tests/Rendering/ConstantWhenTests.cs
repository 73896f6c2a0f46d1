using Fleet.Domain.Model;
using Fleet.Domain.Rendering;

namespace Fleet.Domain.Tests.Rendering;

/// <summary>A placement <c>when</c> that reads nothing of the target fails the same everywhere: apply can know it.</summary>
public sealed class ConstantWhenTests
{
    private static readonly CapabilityRenderer Renderer = new(TemplateEnvironment.Engine);

    private static CompiledCapability With(string when) => Renderer.Compile(new CapabilitySpec
    {
        Name = "c",
        Version = "1",
        Placement = new PlacementSpec { When = when },
        Resources = [new ResourceSpec { Id = "f", File = new FileSpec { Path = "f", Content = "x" } }],
    }, 1);

    [Theory]
    [InlineData("${1 / 0 == 1}", "when ${1 / 0 == 1} failed: division by zero")]
    [InlineData("${[0,1].all(a, [0,1].all(b, [0,1].all(c, [0,1].all(d, [0,1].all(e, [0,1].all(f, [0,1].all(g, [0,1].all(h, [0,1].all(i, [0,1].all(j, [0,1].all(k, [0,1].all(l, [0,1].all(m, [0,1].all(n, [0,1].all(o, [0,1].all(p, [0,1].all(q, [0,1].all(r, [0,1].all(s, [0,1].all(t, true))))))))))))))))))))}", "evaluation exceeded its cost limit of 1000000 steps")]
    [InlineData("${{'a': 1}['b'] == 1}", "failed: no such key")]
    public void ConstantWhenError_FailsEverywhere_SaysWhy(string when, string reason) =>
        Assert.Contains(reason, With(when).ConstantWhenError());

    [Fact]
    public void ConstantWhenError_NotABool_SaysWhat() =>
        Assert.Equal("when ${1 + 1} must give a bool, not int", With("${1 + 1}").ConstantWhenError());

    [Theory]
    [InlineData("${true}")]
    [InlineData("${1 < 2}")]
    [InlineData("${target.labels.tier == 'x'}")]
    [InlineData("${1 / size(target.labels) == 1}")]
    public void ConstantWhenError_WorkingOrTargetDependent_IsNull(string when) =>
        Assert.Null(With(when).ConstantWhenError());
}
