using Fleet.Domain.Model;
using Fleet.Domain.Rollouts;

namespace Fleet.Domain.Tests.Rollouts;

public sealed class RolloutProgressTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    private static RolloutProgress Started(int targets, ResolvedRolloutStrategy? strategy = null)
    {
        var entries = Enumerable.Range(1, targets).Select(i => new RolloutTargetEntry { Name = $"t{i}" }).ToList();
        var progress = new RolloutProgress(strategy ?? ResolvedRolloutStrategy.Default, entries, RolloutPhase.Pending);
        progress.Start();
        return progress;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 1)]
    [InlineData(5, 2)]
    [InlineData(8, 2)]
    [InlineData(100, 25)]
    public void StartNextBatch_DefaultStrategy_StartsTwentyFivePercentRoundedUpAtLeastOne(int targets, int expected)
    {
        var progress = Started(targets);

        Assert.Equal(expected, progress.StartNextBatch(T0).Count);
        Assert.Empty(progress.StartNextBatch(T0));
    }

    [Fact]
    public void StartNextBatch_AsTargetsSucceed_NeverExceedsMaxUnavailable()
    {
        var progress = Started(10, ResolvedRolloutStrategy.Default with { MaxUnavailable = new IntOrPercent(3, false) });
        var maxInFlight = 0;
        while (progress.Phase == RolloutPhase.Running)
        {
            progress.StartNextBatch(T0);
            var inFlight = progress.Targets.Count(t => t.State == RolloutTargetState.InProgress);
            maxInFlight = Math.Max(maxInFlight, inFlight);
            var first = progress.Targets.First(t => t.State == RolloutTargetState.InProgress);
            progress.Complete(first.Name, succeeded: true, "", T0);
        }

        Assert.Equal(3, maxInFlight);
        Assert.Equal(RolloutPhase.Succeeded, progress.Phase);
        Assert.Equal(new RolloutCounts(10, 10, 0, 0, 0, 0), progress.Counts);
    }

    [Fact]
    public void Complete_SameTargetTwice_CountsItOnce()
    {
        var progress = Started(4);
        var started = progress.StartNextBatch(T0).Single();

        Assert.True(progress.Complete(started.Name, true, "", T0));
        Assert.False(progress.Complete(started.Name, false, "late duplicate", T0));
        Assert.Equal(1, progress.Counts.Succeeded);
        Assert.Equal(0, progress.Counts.Failed);
    }

    [Fact]
    public void Complete_TargetNotStarted_IsIgnored()
    {
        var progress = Started(4);

        Assert.False(progress.Complete("t4", true, "", T0));
        Assert.False(progress.Complete("nobody", true, "", T0));
        Assert.Equal(4, progress.Counts.Pending);
    }

    [Fact]
    public void Complete_FirstFailureWithDefaultBudget_PausesAndStartsNothingMore()
    {
        var progress = Started(8);
        var batch = progress.StartNextBatch(T0);

        progress.Complete(batch[0].Name, succeeded: false, "disk full", T0);

        Assert.Equal(RolloutPhase.Paused, progress.Phase);
        Assert.Contains("disk full", progress.Message);
        Assert.Empty(progress.StartNextBatch(T0));
    }

    [Fact]
    public void Complete_FailuresWithinBudget_KeepRunningUntilTheBudgetIsExceeded()
    {
        var strategy = ResolvedRolloutStrategy.Default with
        {
            MaxUnavailable = new IntOrPercent(10, false),
            MaxFailures = new IntOrPercent(1, false),
        };
        var progress = Started(5, strategy);
        var batch = progress.StartNextBatch(T0);

        progress.Complete(batch[0].Name, false, "one", T0);
        Assert.Equal(RolloutPhase.Running, progress.Phase);
        progress.Complete(batch[1].Name, false, "two", T0);

        Assert.Equal(RolloutPhase.Paused, progress.Phase);
    }

    [Fact]
    public void Complete_FailureBeforeMinSample_DoesNotDecideYet()
    {
        var strategy = ResolvedRolloutStrategy.Default with { MaxUnavailable = new IntOrPercent(10, false), MinSample = 3 };
        var progress = Started(5, strategy);
        var batch = progress.StartNextBatch(T0);

        progress.Complete(batch[0].Name, false, "early", T0);
        Assert.Equal(RolloutPhase.Running, progress.Phase);
        progress.Complete(batch[1].Name, true, "", T0);
        Assert.Equal(RolloutPhase.Running, progress.Phase);
        progress.Complete(batch[2].Name, true, "", T0);

        Assert.Equal(RolloutPhase.Paused, progress.Phase);
    }

    [Fact]
    public void ExpireDeadlines_TargetNotReadyInTime_FailsIt()
    {
        var strategy = ResolvedRolloutStrategy.Default with { ProgressDeadlineSeconds = 60 };
        var progress = Started(4, strategy);
        var started = progress.StartNextBatch(T0).Single();

        Assert.Empty(progress.ExpireDeadlines(T0.AddSeconds(59)));
        Assert.Equal(T0.AddSeconds(60), progress.NextDeadline());
        var expired = progress.ExpireDeadlines(T0.AddSeconds(60));

        Assert.Equal(started.Name, Assert.Single(expired).Name);
        Assert.Equal(RolloutTargetState.Failed, started.State);
        Assert.Equal(RolloutPhase.Paused, progress.Phase);
    }

    [Fact]
    public void Start_EmptyCohort_SucceedsAtOnce()
    {
        var progress = Started(0);

        Assert.Equal(RolloutPhase.Succeeded, progress.Phase);
    }

    [Fact]
    public void Supersede_RunningRollout_StopsItAndLeavesTerminalOnesAlone()
    {
        var running = Started(3);
        running.StartNextBatch(T0);
        var done = Started(0);

        running.Supersede("cap-2");
        done.Supersede("cap-2");

        Assert.Equal(RolloutPhase.Superseded, running.Phase);
        Assert.Empty(running.StartNextBatch(T0));
        Assert.Equal(RolloutPhase.Succeeded, done.Phase);
    }

    [Fact]
    public void Constructor_FromPersistedEntries_ResumesWhereItStood()
    {
        var entries = new List<RolloutTargetEntry>
        {
            new() { Name = "a", State = RolloutTargetState.Succeeded },
            new() { Name = "b", State = RolloutTargetState.InProgress, StartedAt = T0 },
            new() { Name = "c" },
        };
        var strategy = ResolvedRolloutStrategy.Default with { MaxUnavailable = new IntOrPercent(1, false) };

        var progress = new RolloutProgress(strategy, entries, RolloutPhase.Running);

        Assert.Empty(progress.StartNextBatch(T0));
        Assert.True(progress.Complete("b", true, "", T0));
        Assert.Equal("c", Assert.Single(progress.StartNextBatch(T0)).Name);
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
        Assert.Equal(RolloutTrigger.Auto, resolved.Trigger);
    }

    [Fact]
    public void Resolve_EarlierLayer_WinsOverLaterLayer()
    {
        var flags = new RolloutStrategySpec { MaxUnavailable = new IntOrPercent(1, false) };
        var capability = new RolloutStrategySpec { MaxUnavailable = new IntOrPercent(50, true), ProgressDeadlineSeconds = 30, Trigger = RolloutTrigger.Manual };

        var resolved = ResolvedRolloutStrategy.Resolve(flags, capability);

        Assert.Equal(new IntOrPercent(1, false), resolved.MaxUnavailable);
        Assert.Equal(30, resolved.ProgressDeadlineSeconds);
        Assert.Equal(RolloutTrigger.Manual, resolved.Trigger);
    }
}
