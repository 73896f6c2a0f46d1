using Fleet.Domain.Expressions;

namespace Fleet.Domain.Rendering;

/// <summary>
/// What one render of a capability for one target may spend: the cost of its expressions together, and a deadline on
/// <see cref="TimeProvider"/>; both end the render as Failed with the reason. The caller's cancellation (a gRPC call that
/// went away) ends it too, as an <see cref="OperationCanceledException"/>, because nobody waits for that result.
/// </summary>
public sealed class RenderBudget : IDisposable
{
    private readonly CancellationTokenSource _deadline;
    private readonly CancellationTokenSource _linked;
    private readonly CancellationToken _caller;

    public RenderBudget(RenderLimits limits, TimeProvider time, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(time);
        Limits = limits;
        _caller = cancellation;
        _deadline = new CancellationTokenSource(limits.MaxDuration, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(_deadline.Token, cancellation);
        Evaluation = new EvaluationBudget(limits.MaxCost, _linked.Token);
    }

    public RenderLimits Limits { get; }

    /// <summary>Passed to every expression the render evaluates.</summary>
    public EvaluationBudget Evaluation { get; }

    /// <summary>Whether the render's own deadline (not its caller) stopped it.</summary>
    public bool TimedOut => _deadline.IsCancellationRequested && !_caller.IsCancellationRequested;

    public void Dispose()
    {
        _linked.Dispose();
        _deadline.Dispose();
    }
}
