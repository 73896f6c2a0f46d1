using Fleet.Domain.Model;
using Fleet.Domain.Rendering;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Domain.Tests.Rendering;

/// <summary>A render's total budget: many expressions, each under its own limit, must not add up to minutes of work.</summary>
public sealed class RenderBudgetTests
{
    /// <summary>About 2 x 10^5 steps (a fifth of the per-evaluation limit), as in the capability.</summary>
    internal const string HeavyExpression = "${[1,2,3,4,5,6,7,8,9,10].map(a, [1,2,3,4,5,6,7,8,9,10].map(b, [1,2,3,4,5,6,7,8,9,10].map(c, [1,2,3,4,5,6,7,8,9,10].map(d, [1,2,3,4,5,6,7,8,9,10].map(e, e))))).size()}";

    private static readonly CapabilityRenderer Renderer = new(TemplateEnvironment.Engine);

    private static readonly TargetInfo Target = new("a1", new Dictionary<string, string>(), new Dictionary<string, string>(), "files");

    private static CapabilitySpec Spec(params ResourceSpec[] resources) => new() { Name = "heavy", Version = "1", Resources = resources };

    private static ResourceSpec File(string id, string content) => new() { Id = id, File = new FileSpec { Path = $"etc/{id}", Content = content } };

    private static string Repeat(string expression, int count) => string.Join("\n", Enumerable.Repeat(expression, count));

    [Fact]
    public void Render_ManyExpressionsEachUnderTheirLimit_FailsNamingTheResourceThatRanOut()
    {
        // Each expression is allowed on its own; the 200 of them would be ~9 times the render's budget.
        var compiled = Renderer.Compile(Spec(File("small", "${target.name}"), File("first", Repeat(HeavyExpression, 100)), File("second", Repeat(HeavyExpression, 100))), 1);

        // The cost decides, not the clock: a loaded machine must not turn this into a timeout.
        using var budget = new RenderBudget(RenderLimits.Default with { MaxDuration = TimeSpan.FromHours(1) }, new FakeTimeProvider());

        var rendered = compiled.Render(Target, budget: budget);

        Assert.Equal("first", rendered.OverBudgetResource);
        Assert.StartsWith("resource 'first' file.content: the expressions together exceeded their total cost budget of 5000000 steps", rendered.Error, StringComparison.Ordinal);
        Assert.Empty(rendered.Resources);
    }

    [Fact]
    public void Render_WithinBudget_RendersAndNamesNoResource()
    {
        var compiled = Renderer.Compile(Spec(File("first", Repeat(HeavyExpression, 3))), 1);
        using var budget = new RenderBudget(RenderLimits.Default with { MaxDuration = TimeSpan.FromHours(1) }, new FakeTimeProvider());

        var rendered = compiled.Render(Target, budget: budget);

        Assert.Null(rendered.Error);
        Assert.Null(rendered.OverBudgetResource);
        Assert.Equal(Repeat("10", 3), Assert.Single(rendered.Resources).File!.Content);
    }

    [Fact]
    public void Render_ExpressionOverItsOwnLimit_FailsWithoutBlamingTheBudget()
    {
        var overOwnLimit = "${[1,2,3,4,5,6,7,8,9,10].map(a, [1,2,3,4,5,6,7,8,9,10].map(b, [1,2,3,4,5,6,7,8,9,10].map(c, [1,2,3,4,5,6,7,8,9,10].map(d, [1,2,3,4,5,6,7,8,9,10].map(e, [1,2,3,4,5,6,7,8,9,10].map(f, f))))))}";
        var rendered = Renderer.Compile(Spec(File("one", overOwnLimit)), 1).Render(Target);

        Assert.Contains("evaluation exceeded its cost limit of 1000000 steps", rendered.Error, StringComparison.Ordinal);
        Assert.Null(rendered.OverBudgetResource);
    }

    [Fact]
    public void Render_DeadlinePassed_FailsWithTheTimeReason()
    {
        var time = new FakeTimeProvider();
        using var budget = new RenderBudget(RenderLimits.Default with { MaxDuration = TimeSpan.FromSeconds(2) }, time);
        time.Advance(TimeSpan.FromSeconds(2));

        var rendered = Renderer.Compile(Spec(File("first", "${target.name}")), 1).Render(Target, budget: budget);

        Assert.True(budget.TimedOut);
        Assert.Equal("first", rendered.OverBudgetResource);
        Assert.Equal("resource 'first': rendering took longer than the 2 s a render may take", rendered.Error);
    }

    [Fact]
    public void Render_BeforeTheDeadline_IsNotTimedOut()
    {
        var time = new FakeTimeProvider();
        using var budget = new RenderBudget(RenderLimits.Default with { MaxDuration = TimeSpan.FromSeconds(2) }, time);
        time.Advance(TimeSpan.FromSeconds(1.9));

        var rendered = Renderer.Compile(Spec(File("first", "${target.name}")), 1).Render(Target, budget: budget);

        Assert.Null(rendered.Error);
        Assert.False(budget.TimedOut);
    }

    [Fact]
    public void Render_CallerCancelled_ThrowsInsteadOfReportingAFailure()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        using var budget = new RenderBudget(RenderLimits.Default, new FakeTimeProvider(), cancel.Token);

        Assert.ThrowsAny<OperationCanceledException>(() => Renderer.Compile(Spec(File("first", "${target.name}")), 1).Render(Target, budget: budget));
        Assert.False(budget.TimedOut);
    }

    [Fact]
    public void Render_SmallerCostBudget_IsHonoured()
    {
        using var budget = new RenderBudget(RenderLimits.Default with { MaxCost = 1000 }, new FakeTimeProvider());

        var rendered = Renderer.Compile(Spec(File("first", Repeat(HeavyExpression, 1))), 1).Render(Target, budget: budget);

        Assert.StartsWith("resource 'first' file.content: the expressions together exceeded their total cost budget of 1000 steps", rendered.Error, StringComparison.Ordinal);
    }
}
