using System.Diagnostics.Metrics;
using Fleet.Domain.Rollouts;

namespace Fleet.Hub.Observability;

/// <summary>
/// The hub's metrics (meter <see cref="MeterName"/>): agent streams and reports, revisions, rollouts and how long a
/// target takes to update. Tags stay low-cardinality on purpose: capability names and states, never target names
/// (a fleet has many targets, and a metric per target would swamp any backend).
/// </summary>
internal sealed class FleetMetrics
{
    public const string MeterName = "Fleet.Hub";

    private readonly UpDownCounter<long> _streams;
    private readonly Counter<long> _reports;
    private readonly Counter<long> _revisions;
    private readonly Counter<long> _rolloutsStarted;
    private readonly Counter<long> _rolloutsFinished;
    private readonly Counter<long> _rolloutTargets;
    private readonly Histogram<double> _rolloutDuration;
    private readonly Histogram<double> _targetUpdateDuration;

    public FleetMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _streams = meter.CreateUpDownCounter<long>("fleet.agent.streams", "{stream}", "Agent streams open on this hub node (connected targets).");
        _reports = meter.CreateCounter<long>("fleet.agent.reports", "{report}", "Capability reports received from agents, by reported state.");
        _revisions = meter.CreateCounter<long>("fleet.capability.revisions", "{revision}", "Revisions created by fleet apply (capabilities and instances).");
        _rolloutsStarted = meter.CreateCounter<long>("fleet.rollouts.started", "{rollout}", "Rollouts started.");
        _rolloutsFinished = meter.CreateCounter<long>("fleet.rollouts.finished", "{rollout}", "Rollouts that reached a terminal phase, by phase.");
        _rolloutTargets = meter.CreateCounter<long>("fleet.rollout.targets", "{target}", "Targets of finished rollouts, by their final state.");
        _rolloutDuration = meter.CreateHistogram<double>("fleet.rollout.duration", "s", "From a rollout's start to its terminal phase.");
        _targetUpdateDuration = meter.CreateHistogram<double>(
            "fleet.rollout.target.update.duration", "s", "From handing a target the revision to its success (soak included): the time to patch one instance.");
    }

    public void StreamOpened() => _streams.Add(1);

    public void StreamClosed() => _streams.Add(-1);

    public void Reported(string state) => _reports.Add(1, new KeyValuePair<string, object?>("state", state));

    public void RevisionCreated(string key) => _revisions.Add(1, Capability(key));

    public void RolloutStarted(string key) => _rolloutsStarted.Add(1, Capability(key));

    /// <summary>Everything a finished rollout tells: its phase and duration, each target's final state and update time.</summary>
    public void RolloutFinished(string key, RolloutRecord record, DateTimeOffset created, DateTimeOffset now)
    {
        var capability = Capability(key);
        var phase = new KeyValuePair<string, object?>("phase", record.Phase.ToString());
        _rolloutsFinished.Add(1, capability, phase);
        _rolloutDuration.Record(Math.Max(0, (now - created).TotalSeconds), capability, phase);
        foreach (var target in record.Targets)
        {
            _rolloutTargets.Add(1, capability, new KeyValuePair<string, object?>("state", target.State.ToString()));
            if (target is { State: RolloutTargetState.Succeeded, StartedAt: { } started, FinishedAt: { } finished })
            {
                _targetUpdateDuration.Record(Math.Max(0, (finished - started).TotalSeconds), capability);
            }
        }
    }

    /// <summary>An instance's rollouts count under its capability: instances can be many, capabilities are few.</summary>
    private static KeyValuePair<string, object?> Capability(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return new KeyValuePair<string, object?>("capability", slash < 0 ? key : key[..slash]);
    }
}
