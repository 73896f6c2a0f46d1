using System.Threading.Channels;
using Fleet.Agent.Drivers;
using Fleet.Protocol.Agent.V1;

namespace Fleet.Agent.Runtime;

/// <summary>
/// Converges the target to the newest desired set, one pass at a time: apply what changed, remove what
/// is no longer wanted, then publish the reports that differ from what was last said. Runs on a change
/// of desired state and every resync period, with or without the hub.
/// </summary>
internal sealed partial class Reconciler(
    ITargetDriver driver,
    DesiredStateStore store,
    ReportOutbox outbox,
    TimeSpan resync,
    TimeProvider time,
    ILogger<Reconciler> logger)
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Dictionary<string, CapabilityReport> _current = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private DesiredSet? _desired;
    private string _appliedHash = "";

    // The first pass after a start looks for drift too: the target may have been changed while the agent was down.
    private bool _startPass = true;

    // Failed passes in a row: the retry backoff grows with them and starts over after a pass that succeeds.
    private int _failedPasses;

    /// <summary>Reports to send to the hub, in the order they happened; kept across restarts until a hub acknowledged them.</summary>
    public ReportOutbox Outbox => outbox;

    /// <summary>What the target runs now, per capability: the hello of every new stream restates it.</summary>
    public IReadOnlyList<CapabilityReport> Current
    {
        get
        {
            lock (_lock)
            {
                return _current.Values.Select(r => r.Clone()).ToList();
            }
        }
    }

    public void LoadCached()
    {
        if (store.Load() is { } cached)
        {
            LogLoadedCache(logger, cached.Capabilities.Count);
            SetDesired(cached, persist: false);
        }
    }

    public void SetDesired(DesiredSet desired, bool persist = true)
    {
        if (persist)
        {
            store.Save(desired);
        }

        lock (_lock)
        {
            _desired = desired;
        }

        _wake.Writer.TryWrite(true);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(resync, time);
        var tick = timer.WaitForNextTickAsync(cancellationToken).AsTask();
        var wake = _wake.Reader.WaitToReadAsync(cancellationToken).AsTask();
        while (!cancellationToken.IsCancellationRequested)
        {
            var fired = await Task.WhenAny(tick, wake);
            var resyncPass = fired == tick;
            if (fired == tick)
            {
                if (!await tick)
                {
                    return;
                }

                tick = timer.WaitForNextTickAsync(cancellationToken).AsTask();
            }
            else
            {
                await wake;
                _wake.Reader.TryRead(out _);
                wake = _wake.Reader.WaitToReadAsync(cancellationToken).AsTask();
            }

            DesiredSet? desired;
            lock (_lock)
            {
                desired = _desired;
            }

            if (desired is null || (!resyncPass && desired.Hash == _appliedHash))
            {
                continue;
            }

            var detectDrift = resyncPass || _startPass;
            _startPass = false;
            await PassAsync(desired, force: resyncPass, detectDrift, cancellationToken);
        }
    }

    /// <summary>
    /// Converges to <paramref name="desired"/> without the loop, for <c>fleet-agent --import</c>: the set is kept like one
    /// from the hub, the pass is the loop's own (drift looked for, as at a start), and it is repeated every
    /// <see cref="ReadinessRecheck"/> while something is still being applied (a Deployment rolling out), for at most
    /// <paramref name="settle"/>. Returns the reports published meanwhile, in order: what the hub would have heard.
    /// </summary>
    public async Task<IReadOnlyList<CapabilityReport>> ConvergeOnceAsync(DesiredSet desired, TimeSpan settle, CancellationToken cancellationToken)
    {
        var from = outbox.LastSequence;
        store.Save(desired);
        lock (_lock)
        {
            _desired = desired;
        }

        var deadline = time.GetUtcNow() + settle;
        await PassAsync(desired, force: false, detectDrift: true, cancellationToken);
        while (Applying() && time.GetUtcNow() < deadline)
        {
            await Task.Delay(ReadinessRecheck, time, cancellationToken);
            await PassAsync(desired, force: false, detectDrift: false, cancellationToken);
        }

        return [.. outbox.After(from).Select(p => p.Report)];
    }

    /// <summary>
    /// Whether some resource is applied but not ready yet. A capability is Applying also while a resource only awaits
    /// the hub's rendering (Pending): without a hub that does not change, so it is not waited for.
    /// </summary>
    private bool Applying()
    {
        lock (_lock)
        {
            return _current.Values.Any(r => r.Resources.Any(x => x.State == ResourceState.Applying));
        }
    }

    /// <summary>
    /// One pass, guarded: whatever throws in it (a driver bug, a full disk, an API that answers nonsense) is logged,
    /// told to the hub as Failed, and retried with backoff, so reconciling never stops while the hub session goes on
    /// heartbeating and the hub would think the target healthy. Only a failure to record reports at all ends the
    /// loop: the agent cannot then tell anyone anything, and it exits for its supervisor to restart it.
    /// </summary>
    private async Task PassAsync(DesiredSet desired, bool force, bool detectDrift, CancellationToken cancellationToken)
    {
        bool failed;
        try
        {
            failed = !await ConvergeAsync(desired, force, detectDrift, cancellationToken);
        }
        catch (Exception e) when (!IsStopping(e, cancellationToken))
        {
            // Outside any one capability's work (the driver's inventory, say): every wanted capability is in doubt.
            LogPassFailed(logger, e.Message, e);
            foreach (var capability in desired.Capabilities)
            {
                Publish(Failed(capability.Key, capability.Revision, capability.Hash, e));
            }

            failed = true;
        }

        if (!failed)
        {
            _failedPasses = 0;
            return;
        }

        // The next pass redoes every capability that is not Ready (a Failed one never counts as unchanged).
        _appliedHash = "";
        var retry = RetryDelay(++_failedPasses, resync);
        LogRetry(logger, _failedPasses, retry.TotalSeconds);
        WakeAfter(retry, cancellationToken);
    }

    /// <summary>
    /// The pause before retrying after <paramref name="failedPasses"/> failed passes in a row: doubling from the
    /// reconnect backoff's base up to its cap, never beyond the resync (which would redo the pass anyway). No jitter:
    /// a failing pass is this target's own, there is no herd to spread.
    /// </summary>
    public static TimeSpan RetryDelay(int failedPasses, TimeSpan resync)
    {
        var delay = ReconnectBackoff.Ceiling(Math.Max(0, failedPasses - 1), hubs: 1);
        return delay < resync ? delay : resync;
    }

    /// <summary>Converges every wanted capability and removes the rest; false when some capability's work threw.</summary>
    private async Task<bool> ConvergeAsync(DesiredSet desired, bool force, bool detectDrift, CancellationToken cancellationToken)
    {
        var succeeded = true;
        var wanted = desired.Capabilities.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var capability in desired.Capabilities)
        {
            CapabilityReport? last;
            lock (_lock)
            {
                last = _current.GetValueOrDefault(capability.Key);
            }

            var unchanged = last is not null && last.Revision == capability.Revision && last.Hash == capability.Hash
                            && last.State == ResourceState.Ready;
            CapabilityReport report;
            try
            {
                // Drift is told as it is found, before the converge below corrects it, so the hub sees both.
                var drift = detectDrift ? await driver.DetectDriftAsync(capability, cancellationToken) : null;
                if (drift is not null)
                {
                    Publish(drift);
                }
                else if (unchanged && !force)
                {
                    continue;
                }

                report = await driver.ConvergeAsync(capability, cancellationToken);
            }
            catch (Exception e) when (!IsStopping(e, cancellationToken))
            {
                // One capability's failure is its own: the others still converge in this pass.
                LogCapabilityFailed(logger, capability.Key, e.Message, e);
                report = Failed(capability.Key, capability.Revision, capability.Hash, e);
                succeeded = false;
            }

            Publish(report);
        }

        IEnumerable<string> owned;
        lock (_lock)
        {
            owned = driver.OwnedCapabilities.Union(_current.Keys).Where(k => !wanted.Contains(k)).ToList();
        }

        foreach (var key in owned)
        {
            CapabilityReport report;
            try
            {
                report = await driver.RemoveAsync(key, cancellationToken);
            }
            catch (Exception e) when (!IsStopping(e, cancellationToken))
            {
                // Not removed: the hub keeps hearing of the capability, Failed, until a retry removes it.
                LogCapabilityFailed(logger, key, e.Message, e);
                CapabilityReport? last;
                lock (_lock)
                {
                    last = _current.GetValueOrDefault(key);
                }

                report = Failed(key, last?.Revision ?? 0, last?.Hash ?? "", e);
                succeeded = false;
            }

            Publish(report);
        }

        _appliedHash = desired.Hash;

        // Something is applied but not ready yet (a Deployment rolling out, a Job running), or waits for such a
        // dependency: look again soon rather than at the next resync, so the hub hears of readiness within seconds, a
        // rollout's soak starts on time, and dependents are applied without waiting for the hub to push anything.
        bool waiting;
        lock (_lock)
        {
            waiting = _current.Values.Any(r => r.State == ResourceState.Applying || r.Resources.Any(x => x.State is ResourceState.Applying or ResourceState.Pending));
        }

        if (waiting)
        {
            _appliedHash = "";
            WakeAfter(ReadinessRecheck, cancellationToken);
        }

        return succeeded;
    }

    private void WakeAfter(TimeSpan delay, CancellationToken cancellationToken) =>
        _ = Task.Delay(delay, time, cancellationToken).ContinueWith(_ => _wake.Writer.TryWrite(true), TaskScheduler.Default);

    private static bool IsStopping(Exception e, CancellationToken cancellationToken) =>
        e is OperationCanceledException && cancellationToken.IsCancellationRequested;

    /// <summary>What the hub hears of a capability whose work threw: Failed, with the reason, so the failure is visible there.</summary>
    private static CapabilityReport Failed(string key, long revision, string hash, Exception e)
    {
        var reason = e.Message.Length > MaxReasonLength ? e.Message[..MaxReasonLength] + "…" : e.Message;
        return new CapabilityReport { Key = key, Revision = revision, Hash = hash, State = ResourceState.Failed, Message = $"agent error: {reason}" };
    }

    /// <summary>Bounds the exception text a Failed report carries: a report must stay small enough for the hub to take.</summary>
    private const int MaxReasonLength = 1000;

    /// <summary>How soon a capability that is applied but not yet ready is looked at again.</summary>
    public static readonly TimeSpan ReadinessRecheck = TimeSpan.FromSeconds(2);

    private void Publish(CapabilityReport report)
    {
        // Bounded here, where every driver's report passes: one too large for the hub would be refused on every resend.
        ObservedState.Fit(report);
        lock (_lock)
        {
            var last = _current.GetValueOrDefault(report.Key);
            if (report.Removed)
            {
                _current.Remove(report.Key);
            }
            else
            {
                _current[report.Key] = report;
            }

            if (last is not null && last.Equals(report))
            {
                return;
            }
        }

        LogReport(logger, report.Key, report.Revision, report.State.ToString(), report.Removed, report.Message);
        outbox.Enqueue(report);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reconcile pass failed: {Reason}")]
    private static partial void LogPassFailed(ILogger logger, string reason, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Capability}: reconciling failed: {Reason}")]
    private static partial void LogCapabilityFailed(ILogger logger, string capability, string reason, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} failed reconcile pass(es) in a row: retrying in {Seconds:0.0}s")]
    private static partial void LogRetry(ILogger logger, int count, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded the cached desired set ({Count} capabilities): converging without waiting for the hub")]
    private static partial void LogLoadedCache(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Capability} revision {Revision}: {State} (removed: {Removed}) {Message}")]
    private static partial void LogReport(ILogger logger, string capability, long revision, string state, bool removed, string message);
}
