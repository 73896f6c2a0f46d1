using Fleet.Domain.Rendering;

namespace Fleet.Hub.Rendering;

/// <summary>
/// Renders a revision for one target on the thread pool, within the render budget. A grain awaiting it resumes on its
/// own scheduler, so it applies the result in order (its turn is held, no other call to it interleaves), while the
/// scheduler's threads go on serving every other grain: a heavy render no longer stalls the hub.
/// </summary>
internal static class BudgetedRender
{
    /// <summary>The limits in force: registered <see cref="RenderLimits"/> (tests use smaller ones), else the defaults.</summary>
    public static RenderLimits LimitsFrom(IServiceProvider services) =>
        services.GetService(typeof(RenderLimits)) as RenderLimits ?? RenderLimits.Default;

    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired: nobody waits for the result any more.</exception>
    public static Task<RenderedCapability> RunAsync(
        CompiledCapability compiled,
        TargetInfo target,
        IReadOnlyDictionary<string, ObservedResource>? observed,
        RenderLimits limits,
        TimeProvider time,
        CancellationToken cancellation = default) =>
        Task.Run(
            () =>
            {
                using var budget = new RenderBudget(limits, time, cancellation);
                return compiled.Render(target, observed, budget);
            },
            cancellation);
}
