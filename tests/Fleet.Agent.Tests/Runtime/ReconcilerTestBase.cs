using Fleet.Agent.Drivers;
using Fleet.Agent.Runtime;
using Fleet.Protocol.Agent.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fleet.Agent.Tests.Runtime;

/// <summary>
/// What every reconcile loop test class starts from: the loop as the agent wires it (desired-state store and report
/// outbox in a scratch state directory of its own), with the class's driver and a fake clock, so that resyncs and
/// re-checks happen when a test moves the clock and not on their own. Loops a test starts end with it.
/// </summary>
public abstract class ReconcilerTestBase : IDisposable
{
    protected static readonly TimeSpan Resync = TimeSpan.FromSeconds(30);

    private protected TempDirectory Dir { get; } = new();

    /// <summary>The loop's clock; it counts the timers the loop starts, for a test to move it once a retry or re-check waits.</summary>
    private protected TimerCountingClock Time { get; } = new();

    /// <summary>Stops the loops <see cref="Start"/> ran; a test that restarts the agent cancels it itself.</summary>
    protected CancellationTokenSource Stop { get; } = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

    public void Dispose()
    {
        Stop.Cancel();
        Stop.Dispose();
        DisposeDriverResources();
        Dir.Dispose();
    }

    /// <summary>Runs once the loops are stopped and before the directory goes: for what the driver talks to.</summary>
    protected virtual void DisposeDriverResources()
    {
    }

    /// <summary>The driver of a new loop: a new one each time, as after an agent restart.</summary>
    private protected abstract ITargetDriver NewDriver();

    /// <summary>A loop on the state directory that is not running yet, for a test to load the cache first.</summary>
    private protected Reconciler Create() => new(
        NewDriver(),
        new DesiredStateStore(Dir.State),
        new ReportOutbox(Dir.State),
        Resync,
        Time,
        NullLogger<Reconciler>.Instance);

    private protected Reconciler Start()
    {
        var reconciler = Create();
        _ = reconciler.RunAsync(Stop.Token);
        return reconciler;
    }

    private protected static async Task<CapabilityReport> NextReport(Reconciler reconciler)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        // Reading takes the oldest report and acknowledges it, as a hub would.
        await reconciler.Outbox.WaitAsync(0, timeout.Token);
        var (sequence, report) = reconciler.Outbox.After(0)[0];
        reconciler.Outbox.Acknowledge(sequence);
        return report;
    }
}
