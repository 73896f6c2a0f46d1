using System.Diagnostics.Metrics;
using Fleet.Domain.Rollouts;
using Fleet.Hub.Observability;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Hub.Tests.Observability;

/// <summary>What each instrument records, read from this test's own meter (other hubs in the process have their own).</summary>
public sealed class FleetMetricsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = [];
    private readonly FleetMetrics _metrics;

    public FleetMetricsTests()
    {
        _metrics = new FleetMetrics(_services.GetRequiredService<IMeterFactory>());
        var factory = _services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // Only this test's meter: the factory scopes it, other hubs' meters of the same name are other objects.
            if (instrument.Meter.Name == FleetMetrics.MeterName && instrument.Meter.Scope == factory)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    [Fact]
    public void StreamsAndReports_CountUpAndDown()
    {
        _metrics.StreamOpened();
        _metrics.StreamOpened();
        _metrics.StreamClosed();
        _metrics.Reported("Ready");

        Assert.Equal(1, _measurements.Where(m => m.Instrument == "fleet.agent.streams").Sum(m => m.Value));
        Assert.Equal("Ready", Assert.Single(_measurements, m => m.Instrument == "fleet.agent.reports").Tags["state"]);
    }

    [Fact]
    public void FinishedRollout_RecordsPhaseDurationEachTargetsStateAndUpdateTime_UnderTheCapabilityOfAnInstance()
    {
        var created = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
        var record = new RolloutRecord
        {
            Phase = RolloutPhase.Succeeded,
            Targets =
            [
                new RolloutTargetEntry { Name = "t1", State = RolloutTargetState.Succeeded, StartedAt = created.AddSeconds(1), FinishedAt = created.AddSeconds(4) },
                new RolloutTargetEntry { Name = "t2", State = RolloutTargetState.Skipped },
            ],
        };

        _metrics.RolloutFinished("database/team-a", record, created, created.AddSeconds(10));

        Assert.Equal(10, Assert.Single(_measurements, m => m.Instrument == "fleet.rollout.duration").Value);
        Assert.Equal(3, Assert.Single(_measurements, m => m.Instrument == "fleet.rollout.target.update.duration").Value);
        Assert.Equal(["Skipped", "Succeeded"], _measurements.Where(m => m.Instrument == "fleet.rollout.targets").Select(m => (string)m.Tags["state"]!).Order());
        Assert.All(_measurements, m => Assert.Equal("database", m.Tags["capability"]));
        Assert.DoesNotContain(_measurements, m => m.Tags.Values.Contains("t1"));
    }

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        lock (_measurements)
        {
            _measurements.Add((instrument.Name, value, copy));
        }
    }
}
