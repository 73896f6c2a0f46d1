using System.Text.Json;
using CsCheck;
using Fleet.Domain.Model;
using Fleet.Domain.Rollouts;

namespace Fleet.Domain.Tests.Rollouts;

/// <summary>
/// Model-based test of the rollout state machine: random fleets, strategies, target behaviours
/// (ready, failing, silent), event interleavings, operator actions and crash points (the record is
/// persisted and reloaded as the grain does after a restart). After every step the invariants of
/// SPEC §4 must hold.
/// </summary>
public sealed class RolloutModelTests
{
    private enum Fate
    {
        Ready,
        Fails,
        Silent,
    }

    private sealed record Scenario(
        int[] Rings,
        int[] Regions,
        Fate[] Fates,
        int WaveLayout,
        bool[] Approvals,
        int MaxUnavailable,
        bool Percent,
        int Soak,
        int MaxFailures,
        int MinSample,
        bool Rollback,
        int Seed);

    private static readonly Gen<Scenario> Scenarios =
        from n in Gen.Int[0, 16]
        from rings in Gen.Int[0, 1].Array[n]
        from regions in Gen.Int[0, 1].Array[n]
        from fates in Gen.Int[0, 9].Select(f => f < 6 ? Fate.Ready : f < 8 ? Fate.Fails : Fate.Silent).Array[n]
        from layout in Gen.Int[0, 2]
        from approvals in Gen.Bool.Array[3]
        from maxUnavailable in Gen.Int[1, 4]
        from percent in Gen.Bool
        from soak in Gen.Bool.Select(b => b ? 30 : 0)
        from maxFailures in Gen.Int[0, 3]
        from minSample in Gen.Int[1, 4]
        from rollback in Gen.Bool
        from seed in Gen.Int
        select new Scenario(rings, regions, fates, layout, approvals, maxUnavailable, percent, soak, maxFailures, minSample, rollback, seed);

    [Fact]
    public void RandomFleetsStrategiesFailuresAndCrashes_KeepEveryInvariant() =>
        Scenarios.Sample(Run, iter: 400);

    private static void Run(Scenario scenario)
    {
        var strategy = Strategy(scenario);
        var members = scenario.Fates.Select((_, i) => new CohortMember(
            $"t{i:00}",
            new Dictionary<string, string> { ["ring"] = scenario.Rings[i] == 0 ? "canary" : "main", ["region"] = scenario.Regions[i] == 0 ? "eu" : "us" },
            RolloutAction.Update)).ToList();
        var fates = members.Select((m, i) => (m.Name, scenario.Fates[i])).ToDictionary(p => p.Name, p => p.Item2);
        var progress = new RolloutProgress(strategy, RolloutProgress.Plan(strategy, members, toRevision: 2));
        progress.Start();
        var random = new Random(scenario.Seed);
        var now = new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
        var seen = new Dictionary<(string, int), RolloutTargetState>();
        var approved = new HashSet<int>();
        var stoppedByBudget = false;

        for (var step = 0; step < 400 && !progress.Phase.IsTerminal(); step++)
        {
            var phaseBefore = progress.Phase;
            var rollingBackBefore = progress.Record.RollingBack;
            var action = random.Next(10);
            IReadOnlyList<RolloutTargetEntry> started = [];
            if (action < 4)
            {
                started = progress.Advance(now).Started;
                foreach (var entry in started)
                {
                    // What the target ran before: revision 1 (or nothing), for a rollback.
                    progress.RecordPrevious(entry.Name, entry.Name.GetHashCode() % 2 == 0 ? 1 : 0);
                }
            }
            else if (action < 7)
            {
                var inFlight = progress.ActiveEntries.Where(e => e.State == RolloutTargetState.InProgress).ToList();
                if (inFlight.Count > 0)
                {
                    var entry = inFlight[random.Next(inFlight.Count)];
                    var fate = progress.Record.RollingBack ? Fate.Ready : fates[entry.Name];
                    if (fate != Fate.Silent)
                    {
                        var outcome = fate == Fate.Ready ? TargetOutcome.Ready : TargetOutcome.Failed;
                        progress.Complete(entry.Name, outcome, "", now);
                        // A duplicate report is never counted twice.
                        var counts = progress.Counts;
                        Assert.False(progress.Complete(entry.Name, outcome, "duplicate", now) && outcome == TargetOutcome.Failed);
                        Assert.Equal(counts.Failed, progress.Counts.Failed);
                    }
                }
            }
            else if (action == 7)
            {
                now = now.AddSeconds(random.Next(0, 90));
            }
            else if (action == 8)
            {
                if (progress.Phase == RolloutPhase.WaitingApproval)
                {
                    approved.Add(progress.Record.CurrentWave);
                    Assert.True(progress.Approve());
                }
                else if (progress.Phase == RolloutPhase.Paused && random.Next(3) == 0)
                {
                    stoppedByBudget = false;
                    progress.Resume();
                }
            }
            else
            {
                // Crash and restart: only the persisted record survives.
                var json = JsonSerializer.Serialize(progress.Record);
                progress = new RolloutProgress(strategy, JsonSerializer.Deserialize<RolloutRecord>(json)!);
            }

            CheckInvariants(progress, scenario, strategy, seen, approved, ref stoppedByBudget, phaseBefore, rollingBackBefore, started);
        }
    }

    private static void CheckInvariants(
        RolloutProgress progress,
        Scenario scenario,
        ResolvedRolloutStrategy strategy,
        Dictionary<(string, int), RolloutTargetState> seen,
        HashSet<int> approved,
        ref bool stoppedByBudget,
        RolloutPhase phaseBefore,
        bool rollingBackBefore,
        IReadOnlyList<RolloutTargetEntry> started)
    {
        var record = progress.Record;

        // Never more than maxUnavailable targets of a wave in flight or unhealthy at once.
        for (var w = 0; w < record.Waves.Count; w++)
        {
            var entries = record.Targets.Where(e => e.Wave == w).ToList();
            var unavailable = entries.Count(e => e.State == RolloutTargetState.InProgress || e.IsUnhealthy);
            Assert.True(unavailable <= record.Waves[w].MaxUnavailable, $"wave {record.Waves[w].Name}: {unavailable} unavailable > {record.Waves[w].MaxUnavailable}");
        }

        // Waves strictly ordered: a started entry means every earlier wave of the same direction is finished.
        foreach (var entry in record.Targets.Where(e => e.Wave >= 0 && e.StartedAt is not null))
        {
            var direction = record.Waves[entry.Wave].Rollback;
            Assert.All(
                record.Targets.Where(e => e.Wave >= 0 && e.Wave < entry.Wave && record.Waves[e.Wave].Rollback == direction),
                earlier => Assert.True(earlier.IsFinished || earlier.StartedAt is not null && earlier.Wave == entry.Wave,
                    $"{entry.Name} of wave {entry.Wave} started while {earlier.Name} of wave {earlier.Wave} is {earlier.State}"));
        }

        // The approval gate holds: no entry of an approval wave starts before it was approved.
        foreach (var entry in record.Targets.Where(e => e.Wave >= 0 && e.StartedAt is not null && record.Waves[e.Wave].Approval))
        {
            Assert.Contains(entry.Wave, approved);
        }

        // A target is counted exactly once: states only move forward, a final state never changes.
        foreach (var entry in record.Targets)
        {
            var key = (entry.Name, entry.Wave);
            if (seen.TryGetValue(key, out var before))
            {
                Assert.True(Rank(entry.State) >= Rank(before), $"{entry.Name} went from {before} back to {entry.State}");
                if (before is RolloutTargetState.Succeeded or RolloutTargetState.Failed or RolloutTargetState.Skipped)
                {
                    Assert.Equal(before, entry.State);
                }
            }

            seen[key] = entry.State;
        }

        // No update starts after the budget is exceeded (until an operator resumes), and not before minSample.
        if (progress.Phase == RolloutPhase.Paused && progress.Message.StartsWith("failure budget exceeded", StringComparison.Ordinal))
        {
            var counts = progress.Counts;
            Assert.True(counts.Succeeded + counts.Failed >= strategy.MinSample, "the budget was judged before minSample targets finished");
            stoppedByBudget = true;
        }

        if (stoppedByBudget && progress.Phase == RolloutPhase.Paused)
        {
            Assert.Empty(started);
        }

        if (record.RollingBack && !rollingBackBefore)
        {
            Assert.True(scenario.Rollback, "rolled back although onFailure is pause");
            Assert.All(record.Targets.Where(e => e.Wave >= 0 && !record.Waves[e.Wave].Rollback), e => Assert.NotEqual(RolloutTargetState.Pending, e.State));
        }

        Assert.False(phaseBefore.IsTerminal() && progress.Phase != phaseBefore, $"a {phaseBefore} rollout changed to {progress.Phase}");
    }

    private static int Rank(RolloutTargetState state) => state switch
    {
        RolloutTargetState.Pending => 0,
        RolloutTargetState.InProgress => 1,
        _ => 2,
    };

    private static ResolvedRolloutStrategy Strategy(Scenario s)
    {
        LabelSelector Select(string key, string value) => new() { MatchLabels = new SortedDictionary<string, string> { [key] = value } };
        IReadOnlyList<WaveSpec> waves = s.WaveLayout switch
        {
            0 => [],
            1 => [new WaveSpec { Name = "canary", Selector = Select("ring", "canary"), MaxUnavailable = new IntOrPercent(1, false) },
                  new WaveSpec { Name = "rest", Approval = s.Approvals[1] }],
            _ => [new WaveSpec { Name = "canary", Selector = Select("ring", "canary"), Approval = s.Approvals[0] },
                  new WaveSpec { Name = "eu", Selector = Select("region", "eu"), Approval = s.Approvals[1] },
                  new WaveSpec { Name = "rest", Approval = s.Approvals[2], SoakSeconds = 0 }],
        };
        return ResolvedRolloutStrategy.Default with
        {
            MaxUnavailable = s.Percent ? new IntOrPercent(s.MaxUnavailable * 20, true) : new IntOrPercent(s.MaxUnavailable, false),
            SoakSeconds = s.Soak,
            ProgressDeadlineSeconds = 120,
            MaxFailures = new IntOrPercent(s.MaxFailures, false),
            MinSample = s.MinSample,
            OnFailure = s.Rollback ? OnFailure.Rollback : OnFailure.Pause,
            Waves = waves,
        };
    }
}
