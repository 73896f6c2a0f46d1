using Fleet.Domain.Expressions;
using Fleet.Domain.Expressions.Cel;

namespace Fleet.Domain.Tests.Expressions;

public sealed class EvaluationBudgetTests
{
    /// <summary>About 10^4 steps: far under the per-evaluation limit.</summary>
    private const string Heavy = "[1,2,3,4,5,6,7,8,9,10].map(a, [1,2,3,4,5,6,7,8,9,10].map(b, [1,2,3,4,5,6,7,8,9,10].map(c, [1,2,3,4,5,6,7,8,9,10].map(d, d))))";

    private static readonly Dictionary<string, object?> NoVariables = [];

    private static CelProgram Program()
    {
        var result = new CelEngine().Compile(Heavy);
        return (CelProgram)result.Expression!;
    }

    [Fact]
    public void Evaluate_ManyEvaluationsEachUnderTheirLimit_StopWhenTheySpendTheSharedBudget()
    {
        var program = Program();
        var probe = new EvaluationBudget(long.MaxValue);
        program.Evaluate(NoVariables, probe);
        var one = probe.Spent;
        Assert.InRange(one, 10_000, CelLimits.Default.MaxCost / 10);

        var budget = new EvaluationBudget(one * 5 / 2);
        program.Evaluate(NoVariables, budget);
        program.Evaluate(NoVariables, budget);
        Assert.False(budget.IsExhausted);
        var error = Assert.Throws<ExpressionException>(() => program.Evaluate(NoVariables, budget));

        Assert.StartsWith($"the expressions together exceeded their total cost budget of {one * 5 / 2} steps", error.Message, StringComparison.Ordinal);
        Assert.True(budget.IsExhausted);
        Assert.Equal(0, budget.Remaining);
        // Spent stays spent: a later evaluation under the same budget fails at once.
        Assert.Throws<ExpressionException>(() => program.Evaluate(NoVariables, budget));
    }

    [Fact]
    public void Evaluate_WithoutBudget_OnlyThePerEvaluationLimitApplies()
    {
        var program = Program();
        for (var i = 0; i < 5; i++)
        {
            Assert.NotNull(program.Evaluate(NoVariables));
        }
    }

    [Fact]
    public void Evaluate_BudgetCancelled_StopsWithOperationCanceled()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var budget = new EvaluationBudget(long.MaxValue, cancel.Token);

        Assert.ThrowsAny<OperationCanceledException>(() => Program().Evaluate(NoVariables, budget));
    }

    [Fact]
    public void Evaluate_CancelledWhileRunning_StopsWithinTheEvaluation()
    {
        using var cancel = new CancellationTokenSource();
        var budget = new EvaluationBudget(long.MaxValue, cancel.Token);
        // A variable read part-way through cancels: the evaluation must notice it and not run to the end.
        var variables = new Dictionary<string, object?> { ["x"] = new CancelOnRead(cancel) };
        var program = (CelProgram)new CelEngine().Compile("[1,2,3,4,5,6,7,8,9,10].map(a, [1,2,3,4,5,6,7,8,9,10].map(b, [1,2,3,4,5,6,7,8,9,10].map(c, [1,2,3,4,5,6,7,8,9,10].map(d, size(x)))))").Expression!;

        Assert.ThrowsAny<OperationCanceledException>(() => program.Evaluate(variables, budget));
        Assert.True(budget.Spent < 40_000, $"spent {budget.Spent} after the cancellation");
    }

    [Fact]
    public void New_NonPositiveCost_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new EvaluationBudget(0));

    /// <summary>A list whose every read cancels the token, so cancellation happens during the evaluation.</summary>
    private sealed class CancelOnRead(CancellationTokenSource cancel) : IReadOnlyList<object?>
    {
        public int Count
        {
            get
            {
                cancel.Cancel();
                return 0;
            }
        }

        public object? this[int index] => throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<object?> GetEnumerator()
        {
            cancel.Cancel();
            return Enumerable.Empty<object?>().GetEnumerator();
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
