using Fleet.Domain.Model;
using Fleet.Domain.Rollouts;

namespace Fleet.Domain.Tests.Rollouts;

public sealed class RolloutProgressTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    private static CohortMember Member(string name, params string[] labels) =>
        new(name, labels.Select(l => l.Split('=')).ToDictionary(p => p[0], p => p[1]), RolloutAction.Update);

    private static RolloutProgress Started(int targets, ResolvedRolloutStrategy? strategy = null)
    {
        strategy ??= ResolvedRolloutStrategy.Default;
        var record = RolloutProgress.Plan(strategy, Enumerable.Range(1, targets).Select(i => Member($"t{i:000}")), toRevision: 2);
        var progress = new RolloutProgress(strategy, record);
        progress.Start();
        return progress;
    }

    private static LabelSelector Selector(string key, string value) =>
        new() { MatchLabels = new SortedDictionary<string, string> { [key] = value } };

    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 1)]
    [InlineData(5, 2)]
    [InlineData(8, 2)]
    [InlineData(100, 25)]
    public void Advance_DefaultStrategy_StartsTwentyFivePercentRoundedUpAtLeastOne(int targets, int expected)
    {
        var progress = Started(targets);

        Assert.Equal(expected, progress.Advance(T0).Started.Count);
        Assert.Empty(progress.Advance(T0).Started);
    }

    [Fact]
    public void Advance_AsTargetsSucceed_NeverExceedsMaxUnavailable()
    {
        var progress = Started(10, ResolvedRolloutStrategy.Default with { MaxUnavailable = new IntOrPercent(3, false) });
        var maxInFlight = 0;
        while (progress.Phase == RolloutPhase.Running)
        {
            progress.Advance(T0);
            var inFlight = progress.ActiveEntries.Where(t => t.State == RolloutTargetState.InProgress).ToList();
            maxInFlight = Math.Max(maxInFlight, inFlight.Count);
            progress.Complete(inFlight[0].Name, TargetOutcome.Ready, "", T0);
            progress.Advance(T0);
        }

        Assert.Equal(3, maxInFlight);
        Assert.Equal(RolloutPhase.Succeeded, progress.Phase);
        Assert.Equal(new RolloutCounts(10, 10, 0, 0, 0, 0), progress.Counts);
    }

    [Fact]
    public void Complete_SameTargetTwice_CountsItOnce()
    {
        var progress = Started(4);
        var started = progress.Advance(T0).Started.Single();

        Assert.True(progress.Complete(started.Name, TargetOutcome.Ready, "", T0));
        Assert.False(progress.Complete(started.Name, TargetOutcome.Failed, "late duplicate", T0));
        Assert.Equal((1, 0), (progress.Counts.Succeeded, progress.Counts.Failed));
    }

    [Fact]
    public void Complete_TargetNotStarted_IsIgnored()
    {
        var progress = Started(4);

        Assert.False(progress.Complete("t004", TargetOutcome.Ready, "", T0));
        Assert.False(progress.Complete("nobody", TargetOutcome.Ready, "", T0));
        Assert.Equal(4, progress.Counts.Pending);
    }

    [Fact]
    public void Complete_FirstFailureWithDefaultBudget_PausesAndStartsNothingMore()
    {
        var progress = Started(8);
        var batch = progress.Advance(T0).Started;

        progress.Complete(batch[0].Name, TargetOutcome.Failed, "disk full", T0);

        Assert.Equal(RolloutPhase.Paused, progress.Phase);
        Assert.Contains("disk full", progress.Message);
        Assert.Empty(progress.Advance(T0).Started);
    }

    [Fact]
    public void Complete_FailuresWithinBudget_KeepRunningUntilTheBudgetIsExceeded()
    {
        var strategy = ResolvedRolloutStrategy.Default with { MaxUnavailable = new IntOrPercent(10, false), MaxFailures = new IntOrPercent(1, false) };
        var progress = Started(5, strategy);
        var batch = progress.Advance(T0).Started;

        progress.Complete(batch[0].Name, TargetOutcome.Failed, "one", T0);
        Assert.Equal(RolloutPhase.Running, progress.Phase);
        progress.Complete(batch[1].Name, TargetOutcome.Failed, "two", T0);

        Assert.Equal(RolloutPhase.Paused, progress.Phase);
    }

    [Fact]
    public void Complete_FailureBeforeMinSample_DoesNotDecideYet()
    {
        var strategy = ResolvedRolloutStrategy.Default with { MaxUnavailable = new IntOrPercent(10, false), MinSample = 3 };
        var progress = Started(5, strategy);
        var batch = progress.Advance(T0).Started;

        progress.Complete(batch[0].Name, TargetOutcome.Failed, "early", T0);
        Assert.Equal(RolloutPhase.Running, progress.Phase);
        progress.Complete(batch[1].Name, TargetOutcome.Ready, "", T0);
        Assert.Equal(RolloutPhase.Running, progress.Phase);
        progress.Complete(batch[2].Name, TargetOutcome.Ready, "", T0);

        Assert.Equal(RolloutPhase.Paused, progress.Phase);
    }

    [Fact]
    public void Advance_TargetNotReadyByTheDeadline_FailsIt()
    {
        var progress = Started(4, ResolvedRolloutStrategy.Default with { ProgressDeadlineSeconds = 60 });
        var started = progress.Advance(T0).Started.Single();

        Assert.Empty(progress.Advance(T0.AddSeconds(59)).Expired);
        Assert.Equal(T0.AddSeconds(60), progress.NextWake(T0));
        var expired = progress.Advance(T0.AddSeconds(60)).Expired;

        Assert.Equal(started.Name, Assert.Single(expired).Name);
        Assert.Equal(RolloutTargetState.Failed, started.State);
        Assert.Equal(RolloutPhase.Paused, progress.Phase);
    }

    [Fact]
    public void Complete_ReadyWithSoak_SucceedsOnlyAfterStayingReadyThatLong()
    {
        var progress = Started(1, ResolvedRolloutStrategy.Default with { SoakSeconds = 30 });
        var target = progress.Advance(T0).Started.Single();

        progress.Complete(target.Name, TargetOutcome.Ready, "", T0.AddSeconds(5));
        progress.Advance(T0.AddSeconds(34));
        Assert.Equal(RolloutTargetState.InProgress, target.State);
        Assert.Equal(T0.AddSeconds(35), progress.NextWake(T0.AddSeconds(34)));
        progress.Advance(T0.AddSeconds(35));

        Assert.Equal(RolloutTargetState.Succeeded, target.State);
        Assert.Equal(RolloutPhase.Succeeded, progress.Phase);
    }

    [Fact]
    public void Complete_UnreadyDuringSoak_RestartsTheSoak()
    {
        var progress = Started(1, ResolvedRolloutStrategy.Default with { SoakSeconds = 30 });
        var target = progress.Advance(T0).Started.Single();
        progress.Complete(target.Name, TargetOutcome.Ready, "", T0);

        Assert.True(progress.Complete(target.Name, TargetOutcome.Unready, "drifted", T0.AddSeconds(20)));
        progress.Complete(target.Name, TargetOutcome.Ready, "", T0.AddSeconds(25));
        progress.Advance(T0.AddSeconds(40));
        Assert.Equal(RolloutTargetState.InProgress, target.State);
        progress.Advance(T0.AddSeconds(55));

        Assert.Equal(RolloutTargetState.Succeeded, target.State);
    }

    [Fact]
    public void Advance_Waves_RunStrictlyInOrderAndATargetJoinsTheFirstWaveThatSelectsIt()
    {
        var strategy = ResolvedRolloutStrategy.Default with
        {
            Waves =
            [
                new WaveSpec { Name = "canary", Selector = Selector("ring", "canary"), MaxUnavailable = new IntOrPercent(1, false) },
                new WaveSpec { Name = "eu", Selector = Selector("region", "eu") },
                new WaveSpec { Name = "rest" },
            ],
        };
        var members = new[]
        {
            Member("a", "ring=canary", "region=eu"), Member("b", "region=eu"), Member("c", "region=us"), Member("d", "region=eu"),
        };
        var progress = new RolloutProgress(strategy, RolloutProgress.Plan(strategy, members, 2));
        progress.Start();
        var order = new List<string>();

        while (progress.Phase == RolloutPhase.Running)
        {
            var started = progress.Advance(T0).Started;
            foreach (var entry in started)
            {
                order.Add($"{progress.Record.Waves[entry.Wave].Name}:{entry.Name}");
                Assert.All(progress.ActiveEntries.Where(e => e.Wave > entry.Wave), later => Assert.Equal(RolloutTargetState.Pending, later.State));
            }

            if (started.Count == 0)
            {
                break;
            }

            foreach (var entry in started)
            {
                progress.Complete(entry.Name, TargetOutcome.Ready, "", T0);
            }
        }

        Assert.Equal(["canary:a", "eu:b", "eu:d", "rest:c"], order);
        Assert.Equal(RolloutPhase.Succeeded, progress.Phase);
    }

    [Fact]
    public void Advance_WaveWithApproval_WaitsUntilApproved()
    {
        var strategy = ResolvedRolloutStrategy.Default with
        {
            Waves = [new WaveSpec { Name = "canary", Selector = Selector("ring", "canary") }, new WaveSpec { Name = "rest", Approval = true }],
        };
        var progress = new RolloutProgress(strategy, RolloutProgress.Plan(strategy, [Member("a", "ring=canary"), Member("b")], 2));
        progress.Start();
        progress.Complete(progress.Advance(T0).Started.Single().Name, TargetOutcome.Ready, "", T0);

        Assert.Empty(progress.Advance(T0).Started);
        Assert.Equal(RolloutPhase.WaitingApproval, progress.Phase);
        Assert.Empty(progress.Advance(T0.AddHours(1)).Started);
        Assert.True(progress.Approve());

        Assert.Equal("b", progress.Advance(T0).Started.Single().Name);
    }

    [Fact]
    public void Advance_OutsideTheWindow_StartsNothingUntilItOpens()
    {
        var strategy = ResolvedRolloutStrategy.Default with
        {
            Window = new WindowSpec { Schedule = "0 2 * * *", DurationMinutes = 60, TimeZone = "UTC" },
        };
        var progress = Started(2, strategy);

        Assert.Empty(progress.Advance(T0).Started);
        Assert.Equal(RolloutPhase.WaitingWindow, progress.Phase);
        var opens = new DateTimeOffset(2026, 11, 25, 2, 0, 0, TimeSpan.Zero);
        Assert.Equal(opens, progress.NextWake(T0));
        Assert.NotEmpty(progress.Advance(opens.AddMinutes(1)).Started);
        Assert.Equal(RolloutPhase.Running, progress.Phase);
        Assert.Empty(progress.Advance(opens.AddMinutes(61)).Started);
    }

    [Fact]
    public void Complete_BudgetExceededWithRollback_ReturnsChangedTargetsToTheirPreviousRevision()
    {
        var strategy = ResolvedRolloutStrategy.Default with { MaxUnavailable = new IntOrPercent(2, false), OnFailure = OnFailure.Rollback };
        var progress = Started(4, strategy);
        var batch = progress.Advance(T0).Started;
        progress.RecordPrevious(batch[0].Name, 1);
        progress.RecordPrevious(batch[1].Name, 0);
        progress.Complete(batch[0].Name, TargetOutcome.Ready, "", T0);

        progress.Complete(batch[1].Name, TargetOutcome.Failed, "crashloop", T0);

        Assert.True(progress.Record.RollingBack);
        Assert.Equal(RolloutPhase.Running, progress.Phase);
        var rollback = progress.Advance(T0).Started.OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
        Assert.Equal([(batch[0].Name, 1L, RolloutAction.Update), (batch[1].Name, 0L, RolloutAction.Remove)], rollback.Select(e => (e.Name, e.Revision, e.Action)));
        Assert.Equal(2, progress.Counts.Total);
        foreach (var entry in rollback)
        {
            progress.Complete(entry.Name, TargetOutcome.Ready, "", T0);
        }

        progress.Advance(T0);
        Assert.Equal(RolloutPhase.RolledBack, progress.Phase);
    }

    [Fact]
    public void Resume_AfterBudgetPause_AcceptsPastFailuresAndContinues()
    {
        var progress = Started(4, ResolvedRolloutStrategy.Default with { MaxUnavailable = new IntOrPercent(1, false) });
        progress.Complete(progress.Advance(T0).Started.Single().Name, TargetOutcome.Failed, "boom", T0);
        Assert.Equal(RolloutPhase.Paused, progress.Phase);

        Assert.True(progress.Resume());

        // The accepted failure gives its slot back: the next target starts; a new failure pauses again.
        var next = progress.Advance(T0).Started.Single();
        Assert.Equal(RolloutPhase.Running, progress.Phase);
        progress.Complete(next.Name, TargetOutcome.Failed, "again", T0);
        Assert.Equal(RolloutPhase.Paused, progress.Phase);
    }

    [Fact]
    public void Advance_FailuresWithinBudgetHoldingEverySlot_PausesAsStalled()
    {
        var strategy = ResolvedRolloutStrategy.Default with { MaxUnavailable = new IntOrPercent(1, false), MaxFailures = new IntOrPercent(5, false) };
        var progress = Started(3, strategy);
        progress.Complete(progress.Advance(T0).Started.Single().Name, TargetOutcome.Failed, "boom", T0);
        Assert.Equal(RolloutPhase.Running, progress.Phase);

        Assert.Empty(progress.Advance(T0).Started);

        Assert.Equal(RolloutPhase.Paused, progress.Phase);
        Assert.Contains("stalled", progress.Message);
    }

    [Fact]
    public void Abort_RunningRollout_SkipsWhatHasNotStartedAndRevertsNothing()
    {
        var progress = Started(4);
        var inFlight = progress.Advance(T0).Started.Single();

        Assert.True(progress.Abort("operator", T0));

        Assert.Equal(RolloutPhase.Aborted, progress.Phase);
        Assert.Equal(RolloutTargetState.InProgress, inFlight.State);
        Assert.Equal(3, progress.Counts.Skipped);
        Assert.Empty(progress.Advance(T0).Started);
    }

    [Fact]
    public void Supersede_RunningRollout_StopsItAndLeavesTerminalOnesAlone()
    {
        var running = Started(3);
        running.Advance(T0);
        var done = Started(0);
        done.Advance(T0);

        Assert.True(running.Supersede("cap-2", T0));
        Assert.False(done.Supersede("cap-2", T0));

        Assert.Equal(RolloutPhase.Superseded, running.Phase);
        Assert.Empty(running.Advance(T0).Started);
        Assert.Equal(RolloutPhase.Succeeded, done.Phase);
    }

    [Fact]
    public void Plan_TargetNoWaveSelects_IsSkippedWithTheReason()
    {
        var strategy = ResolvedRolloutStrategy.Default with { Waves = [new WaveSpec { Name = "eu", Selector = Selector("region", "eu") }] };

        var record = RolloutProgress.Plan(strategy, [Member("a", "region=eu"), Member("b", "region=us")], 2);

        var b = record.Targets.Single(t => t.Name == "b");
        Assert.Equal((RolloutTargetState.Skipped, -1), (b.State, b.Wave));
        Assert.Contains("no wave", b.Message);
    }

    [Fact]
    public void Join_TargetForAWaveNotYetStarted_IsTakenButNotForAStartedWave()
    {
        var strategy = ResolvedRolloutStrategy.Default with
        {
            Waves = [new WaveSpec { Name = "canary", Selector = Selector("ring", "canary") }, new WaveSpec { Name = "rest", Approval = true }],
        };
        var progress = new RolloutProgress(strategy, RolloutProgress.Plan(strategy, [Member("a", "ring=canary")], 2));
        progress.Start();
        progress.Advance(T0);

        Assert.False(progress.Join(Member("late-canary", "ring=canary"), 2));
        Assert.True(progress.Join(Member("late-rest"), 2));
        Assert.Equal(1, progress.Record.Targets.Single(t => t.Name == "late-rest").Wave);
    }

    [Fact]
    public void Constructor_FromAPersistedRecord_ResumesWhereItStood()
    {
        var strategy = ResolvedRolloutStrategy.Default with { MaxUnavailable = new IntOrPercent(1, false) };
        var first = Started(3, strategy);
        var inFlight = first.Advance(T0).Started.Single();
        var json = System.Text.Json.JsonSerializer.Serialize(first.Record);

        var resumed = new RolloutProgress(strategy, System.Text.Json.JsonSerializer.Deserialize<RolloutRecord>(json)!);

        Assert.Empty(resumed.Advance(T0).Started);
        Assert.True(resumed.Complete(inFlight.Name, TargetOutcome.Ready, "", T0));
        Assert.Single(resumed.Advance(T0).Started);
    }

    [Theory]
    [InlineData(null, "25%", 600)]
    [InlineData("3", "3", 600)]
    [InlineData("50%", "50%", 600)]
    public void Resolve_CapabilityStrategyOverDefaults_TakesTheGivenFields(string? maxUnavailable, string expected, int deadline)
    {
        var spec = new RolloutStrategySpec
        {
            MaxUnavailable = maxUnavailable is null ? null : IntOrPercent.TryParse(maxUnavailable, out var v) ? v : null,
        };

        var resolved = ResolvedRolloutStrategy.Resolve(spec);

        Assert.Equal(expected, resolved.MaxUnavailable.ToString());
        Assert.Equal(deadline, resolved.ProgressDeadlineSeconds);
        Assert.Equal((RolloutTrigger.Auto, OnFailure.Pause, OfflineTargets.Wait, 0, 1), (resolved.Trigger, resolved.OnFailure, resolved.OfflineTargets, resolved.MaxFailures.Value, resolved.MinSample));
    }

    [Fact]
    public void Resolve_EarlierLayer_WinsOverLaterLayerFieldByField()
    {
        var flags = new RolloutStrategySpec { MaxUnavailable = new IntOrPercent(1, false) };
        var capability = new RolloutStrategySpec
        {
            MaxUnavailable = new IntOrPercent(50, true),
            ProgressDeadlineSeconds = 30,
            Trigger = RolloutTrigger.Manual,
            FailureBudget = new FailureBudgetSpec { MinSample = 5 },
        };

        var resolved = ResolvedRolloutStrategy.Resolve(flags, capability);

        Assert.Equal(new IntOrPercent(1, false), resolved.MaxUnavailable);
        Assert.Equal((30, RolloutTrigger.Manual, 5), (resolved.ProgressDeadlineSeconds, resolved.Trigger, resolved.MinSample));
    }
}
