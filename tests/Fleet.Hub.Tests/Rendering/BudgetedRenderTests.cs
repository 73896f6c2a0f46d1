using Fleet.Domain.Model;
using Fleet.Domain.Rendering;
using Fleet.Hub.Rendering;

namespace Fleet.Hub.Tests.Rendering;

public sealed class BudgetedRenderTests
{
    private const string Heavy = "${[1,2,3,4,5,6,7,8,9,10].map(a, [1,2,3,4,5,6,7,8,9,10].map(b, [1,2,3,4,5,6,7,8,9,10].map(c, [1,2,3,4,5,6,7,8,9,10].map(d, [1,2,3,4,5,6,7,8,9,10].map(e, e))))).size()}";

    private static readonly TargetInfo Target = new("a1", new Dictionary<string, string>(), new Dictionary<string, string>(), "files");

    /// <summary>Minutes of work with no budget to stop it: only the caller's cancellation can.</summary>
    private static CompiledCapability Endless() =>
        new CapabilityRenderer(TemplateEnvironment.Engine).Compile(new CapabilitySpec
        {
            Name = "endless",
            Version = "1",
            Resources = [new ResourceSpec { Id = "f", File = new FileSpec { Path = "f", Content = string.Join(" ", Enumerable.Repeat(Heavy, 3000)) } }],
        }, 1);

    private static readonly RenderLimits Unbounded = new() { MaxCost = long.MaxValue, MaxDuration = TimeSpan.FromHours(1) };

    [Fact]
    public async Task RunAsync_CallerGivesUp_StopsTheRender()
    {
        using var cancel = new CancellationTokenSource();
        var render = BudgetedRender.RunAsync(Endless(), Target, null, Unbounded, TimeProvider.System, cancel.Token);
        // Given up while the render runs (it would take minutes): the cancellation must reach the evaluations.
        cancel.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => render);
    }

    [Fact]
    public async Task RunAsync_OverTheCostBudget_IsFailedNamingTheResource()
    {
        var limits = RenderLimits.Default with { MaxDuration = TimeSpan.FromHours(1) };
        var rendered = await BudgetedRender.RunAsync(Endless(), Target, null, limits, TimeProvider.System, TestContext.Current.CancellationToken);

        Assert.Equal("f", rendered.OverBudgetResource);
        Assert.Contains("total cost budget", rendered.Error);
    }
}
