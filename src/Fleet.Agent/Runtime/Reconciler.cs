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
            await ConvergeAsync(desired, force: resyncPass, detectDrift, cancellationToken);
        }
    }

    private async Task ConvergeAsync(DesiredSet desired, bool force, bool detectDrift, CancellationToken cancellationToken)
    {
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

            var report = await driver.ConvergeAsync(capability, cancellationToken);
            Publish(report);
        }

        IEnumerable<string> owned;
        lock (_lock)
        {
            owned = driver.OwnedCapabilities.Union(_current.Keys).Where(k => !wanted.Contains(k)).ToList();
        }

        foreach (var key in owned)
        {
            var report = await driver.RemoveAsync(key, cancellationToken);
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
            _ = Task.Delay(ReadinessRecheck, time, cancellationToken).ContinueWith(_ => _wake.Writer.TryWrite(true), TaskScheduler.Default);
        }
    }

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded the cached desired set ({Count} capabilities): converging without waiting for the hub")]
    private static partial void LogLoadedCache(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Capability} revision {Revision}: {State} (removed: {Removed}) {Message}")]
    private static partial void LogReport(ILogger logger, string capability, long revision, string state, bool removed, string message);
}
