using Fleet.Hub.Rollouts;
using Fleet.Protocol.Admin.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Hub.Tests.Integration;

/// <summary>The invariants of SPEC §4 with a real hub and real files agents over loopback gRPC.</summary>
public sealed class RolloutTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static string Motd(string version, string rollout, string content = "motd ${target.name} v{version}") => $$"""
        apiVersion: fleet/v1alpha1
        kind: Capability
        metadata:
          name: motd
        spec:
          version: "{{version}}"
          placement:
            selector:
              matchLabels: { env: dev }
          resources:
            - id: motd
              file:
                path: etc/motd
                content: "{{content.Replace("{version}", version)}}"
          rollout:
        {{string.Join('\n', rollout.Split('\n').Select(l => "    " + l))}}
        """;

    private static async Task<FleetHarness> Fleet(int agents, Func<int, string[]> labels, Action<IServiceCollection>? services = null)
    {
        var fleet = await FleetHarness.StartAsync(services);
        for (var i = 1; i <= agents; i++)
        {
            fleet.StartAgent($"t{i}", ["env=dev", .. labels(i)]);
        }

        await fleet.WaitForConnectedAsync(agents);
        return fleet;
    }

    private static async Task<Rollout> WaitForPhase(FleetHarness fleet, string id, params RolloutPhase[] phases)
    {
        var wanted = phases.ToHashSet();
        Rollout? last = null;
        try
        {
            await Eventually.Holds(async () => wanted.Contains((last = await fleet.RolloutAsync(id)).Phase), $"rollout {id} reaches {string.Join("/", phases)}");
        }
        catch (Xunit.Sdk.FailException) when (last is not null)
        {
            Assert.Fail($"rollout {id} did not reach {string.Join("/", phases)}; it is {last}");
        }

        return await fleet.RolloutAsync(id);
    }

    [Fact]
    public async Task Waves_RunInOrderAndTheApprovalGateHolds()
    {
        await using var fleet = await Fleet(3, i => i == 1 ? ["ring=canary"] : ["ring=main"]);
        var applied = await fleet.ApplyAsync(Motd("1", """
            waves:
              - name: canary
                selector: { matchLabels: { ring: canary } }
              - name: rest
                approval: true
            """));

        var waiting = await WaitForPhase(fleet, applied.RolloutId, RolloutPhase.WaitingApproval);

        Assert.Equal("motd t1 v1", fleet.ReadTargetFile("t1", "etc/motd"));
        Assert.Null(fleet.ReadTargetFile("t2", "etc/motd"));
        Assert.Null(fleet.ReadTargetFile("t3", "etc/motd"));
        Assert.Equal([RolloutPhase.Succeeded, RolloutPhase.WaitingApproval], waiting.Waves.Select(w => w.Phase));
        Assert.Contains("approval", waiting.Gate);

        await fleet.Admin.ApproveRolloutAsync(new GetRequest { Name = applied.RolloutId }, cancellationToken: Cancel);
        await WaitForPhase(fleet, applied.RolloutId, RolloutPhase.Succeeded);

        Assert.Equal("motd t3 v1", fleet.ReadTargetFile("t3", "etc/motd"));
    }

    [Fact]
    public async Task MaxUnavailable_MeasuredOnTheTargets_IsNeverExceeded()
    {
        // Each target stays in flight at least the soak (1 s) after its agent wrote the file, so with
        // maxUnavailable 2 no three writes can fall within one soak: the third waits for a slot.
        await using var fleet = await Fleet(6, _ => []);
        var applied = await fleet.ApplyAsync(Motd("1", "maxUnavailable: 2\nsoakSeconds: 1"));
        await WaitForPhase(fleet, applied.RolloutId, RolloutPhase.Succeeded);

        var writes = Enumerable.Range(1, 6)
            .Select(i => File.GetLastWriteTimeUtc(Path.Combine(fleet.TargetRoot($"t{i}"), "etc/motd")))
            .Order()
            .ToList();

        for (var k = 0; k + 2 < writes.Count; k++)
        {
            Assert.True(writes[k + 2] - writes[k] >= TimeSpan.FromSeconds(1), $"writes {k} and {k + 2} are {(writes[k + 2] - writes[k]).TotalMilliseconds} ms apart: three targets were in flight at once");
        }
    }

    [Fact]
    public async Task FailureBudget_Exceeded_PausesAndStartsNoFurtherUpdate()
    {
        // t1 and t2 lack the region label the template needs: they fail together. maxFailures 1.
        await using var fleet = await Fleet(5, i => i <= 2 ? [] : ["region=eu"]);
        var applied = await fleet.ApplyAsync(Motd("1", "maxUnavailable: 2\nfailureBudget: { maxFailures: 1 }", "motd ${target.labels.region}"));

        var paused = await WaitForPhase(fleet, applied.RolloutId, RolloutPhase.Paused);

        Assert.Equal(2, paused.Counts.Failed);
        Assert.Equal(3, paused.Counts.Pending);
        Assert.Equal(0, paused.Counts.InProgress);
        Assert.Contains("failure budget exceeded", paused.Message);
        // Paused with nothing in flight: the rollout starts nothing more, and it never handed t3-t5 the revision.
        foreach (var t in new[] { "t3", "t4", "t5" })
        {
            Assert.Null(fleet.ReadTargetFile(t, "etc/motd"));
            Assert.Empty((await fleet.TargetAsync(t)).Capabilities);
        }
    }

    [Fact]
    public async Task MinSample_FailureBeforeEnoughTargetsFinished_DoesNotStopTheRollout()
    {
        await using var fleet = await Fleet(4, i => i == 1 ? [] : ["region=eu"]);
        var applied = await fleet.ApplyAsync(Motd("1", "maxUnavailable: 2\nfailureBudget: { maxFailures: 0, minSample: 5 }", "motd ${target.labels.region}"));

        var done = await WaitForPhase(fleet, applied.RolloutId, RolloutPhase.Succeeded, RolloutPhase.Paused);

        // Only 4 targets ever finish, fewer than minSample 5: the budget is never judged.
        Assert.Equal((RolloutPhase.Succeeded, 1, 3), (done.Phase, done.Counts.Failed, done.Counts.Succeeded));
    }

    [Fact]
    public async Task OnFailureRollback_RestoresThePreviousRevisionOnEveryChangedTarget()
    {
        await using var fleet = await Fleet(4, i => i == 4 ? [] : ["region=eu"]);
        var first = await fleet.ApplyAsync(Motd("1", "maxUnavailable: 1\nonFailure: rollback"));
        await WaitForPhase(fleet, first.RolloutId, RolloutPhase.Succeeded);

        // Revision 2 needs a region label that t4 lacks: the rollout fails on t4 and rolls back.
        var second = await fleet.ApplyAsync(Motd("2", "maxUnavailable: 1\nonFailure: rollback", "motd ${target.name} v2 ${target.labels.region}"));
        var rolledBack = await WaitForPhase(fleet, second.RolloutId, RolloutPhase.RolledBack, RolloutPhase.Failed, RolloutPhase.Paused);

        Assert.Equal(RolloutPhase.RolledBack, rolledBack.Phase);
        Assert.True(rolledBack.RollingBack);
        for (var i = 1; i <= 4; i++)
        {
            var target = $"t{i}";
            await Eventually.Holds(() => fleet.ReadTargetFile(target, "etc/motd") == $"motd {target} v1", $"{target} back at revision 1");
            await Eventually.Holds(async () => (await fleet.TargetAsync(target)).Capabilities["motd"] is { Revision: 1, DesiredRevision: 1, State: TargetCapabilityState.Ready }, $"{target} reports revision 1");
        }

        Assert.Equal(1, (await fleet.CapabilityAsync("motd")).StableRevision);
    }

    [Fact]
    public async Task Undo_AfterASuccessfulRollout_ReturnsTheFleetToThePreviousRevision()
    {
        await using var fleet = await Fleet(3, _ => []);
        var first = await fleet.ApplyAsync(Motd("1", "maxUnavailable: 50%"));
        await WaitForPhase(fleet, first.RolloutId, RolloutPhase.Succeeded);
        var second = await fleet.ApplyAsync(Motd("2", "maxUnavailable: 50%"));
        await WaitForPhase(fleet, second.RolloutId, RolloutPhase.Succeeded);

        var undo = await fleet.Admin.UndoRolloutAsync(new GetRequest { Name = "motd" }, cancellationToken: Cancel);
        var done = await WaitForPhase(fleet, undo.Id, RolloutPhase.RolledBack, RolloutPhase.Failed, RolloutPhase.Paused);

        Assert.Equal((RolloutPhase.RolledBack, second.RolloutId, 3), (done.Phase, done.UndoOf, done.Counts.Succeeded));
        Assert.All(new[] { "t1", "t2", "t3" }, t => Assert.Equal($"motd {t} v1", fleet.ReadTargetFile(t, "etc/motd")));
        await Eventually.Holds(async () => (await fleet.CapabilityAsync("motd")).StableRevision == 1, "stable revision back to 1");
    }

    [Fact]
    public async Task Undo_PassesOverRolloutsThatChangedNothing()
    {
        await using var fleet = await Fleet(2, _ => []);
        await WaitForPhase(fleet, (await fleet.ApplyAsync(Motd("1", "maxUnavailable: 100%"))).RolloutId, RolloutPhase.Succeeded);
        var second = await fleet.ApplyAsync(Motd("2", "maxUnavailable: 100%"));
        await WaitForPhase(fleet, second.RolloutId, RolloutPhase.Succeeded);
        var noop = await fleet.Admin.StartRolloutAsync(new StartRolloutRequest { Capability = "motd" }, cancellationToken: Cancel);
        await WaitForPhase(fleet, noop.Id, RolloutPhase.Succeeded);

        var undo = await fleet.Admin.UndoRolloutAsync(new GetRequest { Name = "motd" }, cancellationToken: Cancel);

        Assert.Equal(second.RolloutId, undo.UndoOf);
        await WaitForPhase(fleet, undo.Id, RolloutPhase.RolledBack);
        Assert.Equal("motd t1 v1", fleet.ReadTargetFile("t1", "etc/motd"));
    }

    [Fact]
    public async Task PauseResumeAbort_ControlWhatStarts()
    {
        await using var fleet = await Fleet(4, _ => []);
        var applied = await fleet.ApplyAsync(Motd("1", "maxUnavailable: 1\nsoakSeconds: 2"));
        await Eventually.Holds(async () => (await fleet.RolloutAsync(applied.RolloutId)).Counts.InProgress == 1, "one target in flight");

        var paused = await fleet.Admin.PauseRolloutAsync(new GetRequest { Name = applied.RolloutId }, cancellationToken: Cancel);
        Assert.Equal(RolloutPhase.Paused, paused.Phase);
        // The target in flight finishes its soak; the step that records it is the one that would start the next.
        await Eventually.Holds(async () => (await fleet.RolloutAsync(applied.RolloutId)).Counts.Succeeded == 1, "the target in flight finished");
        var stillPaused = await fleet.RolloutAsync(applied.RolloutId);
        Assert.Equal((RolloutPhase.Paused, 3, 0), (stillPaused.Phase, stillPaused.Counts.Pending, stillPaused.Counts.InProgress));

        await fleet.Admin.ResumeRolloutAsync(new GetRequest { Name = applied.RolloutId }, cancellationToken: Cancel);
        await Eventually.Holds(async () => (await fleet.RolloutAsync(applied.RolloutId)).Counts.Pending == 2, "a second target starts after resume");
        var aborted = await fleet.Admin.AbortRolloutAsync(new GetRequest { Name = applied.RolloutId }, cancellationToken: Cancel);

        Assert.Equal(RolloutPhase.Aborted, aborted.Phase);
        Assert.Equal(2, aborted.Counts.Skipped);
        // The two skipped targets were never handed the revision, so nothing can reach them later.
        var skipped = aborted.Waves.SelectMany(w => w.Targets).Where(t => t.State == RolloutTargetState.Skipped).Select(t => t.Name).ToList();
        Assert.Equal(2, skipped.Count);
        foreach (var t in skipped)
        {
            Assert.Empty((await fleet.TargetAsync(t)).Capabilities);
        }

        await Eventually.Holds(() => Enumerable.Range(1, 4).Count(i => fleet.ReadTargetFile($"t{i}", "etc/motd") is not null) == 2, "the two started targets have the file");
    }

    [Fact]
    public async Task OfflineTargets_Skip_LeavesThemForLaterAndSucceeds()
    {
        await using var fleet = await Fleet(2, _ => []);
        var offline = fleet.StartAgent("t3", "env=dev");
        await fleet.WaitForConnectedAsync(3);
        await offline.DisposeAsync();
        await fleet.WaitForConnectedAsync(2);

        var applied = await fleet.ApplyAsync(Motd("1", "offlineTargets: skip\nmaxUnavailable: 100%"));
        var done = await WaitForPhase(fleet, applied.RolloutId, RolloutPhase.Succeeded);

        Assert.Equal((2, 1), (done.Counts.Succeeded, done.Counts.Skipped));
        Assert.Contains("not connected", done.Waves.Single().Targets.Single(t => t.Name == "t3").Message);
    }

    [Fact]
    public async Task ProgressDeadline_WithAFakeClock_FailsATargetThatNeverReports()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var fleet = await Fleet(1, _ => [], services => services.AddSingleton<TimeProvider>(clock));
        var offline = fleet.StartAgent("t2", "env=dev");
        await fleet.WaitForConnectedAsync(2);
        await offline.DisposeAsync();
        await fleet.WaitForConnectedAsync(1);

        var applied = await fleet.ApplyAsync(Motd("1", "maxUnavailable: 100%\nprogressDeadlineSeconds: 60"));
        await Eventually.Holds(async () => (await fleet.RolloutAsync(applied.RolloutId)).Counts is { Succeeded: 1, InProgress: 1 }, "t1 done, t2 waited for");
        clock.Advance(TimeSpan.FromSeconds(59));
        await fleet.Grains.GetGrain<IRolloutGrain>(applied.RolloutId).Kick();
        Assert.Equal(1, (await fleet.RolloutAsync(applied.RolloutId)).Counts.InProgress);

        clock.Advance(TimeSpan.FromSeconds(1));
        await fleet.Grains.GetGrain<IRolloutGrain>(applied.RolloutId).Kick();
        var paused = await WaitForPhase(fleet, applied.RolloutId, RolloutPhase.Paused);

        Assert.Contains("progress deadline of 60s", paused.Waves.Single().Targets.Single(t => t.Name == "t2").Message);
    }

    [Fact]
    public async Task Soak_WithAFakeClock_SucceedsOnlyAfterTheTargetStayedReady()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var fleet = await Fleet(1, _ => [], services => services.AddSingleton<TimeProvider>(clock));

        var applied = await fleet.ApplyAsync(Motd("1", "soakSeconds: 300"));
        await Eventually.Holds(async () => (await fleet.RolloutAsync(applied.RolloutId)).Gate.Contains("soak", StringComparison.Ordinal), "t1 soaking");
        clock.Advance(TimeSpan.FromSeconds(299));
        await fleet.Grains.GetGrain<IRolloutGrain>(applied.RolloutId).Kick();
        Assert.Equal(RolloutPhase.Running, (await fleet.RolloutAsync(applied.RolloutId)).Phase);

        clock.Advance(TimeSpan.FromSeconds(1));
        await fleet.Grains.GetGrain<IRolloutGrain>(applied.RolloutId).Kick();

        await WaitForPhase(fleet, applied.RolloutId, RolloutPhase.Succeeded);
    }

    [Fact]
    public async Task TargetJoiningMidRollout_JoinsAWaveNotYetStarted_OrRunsTheStableRevisionUntilTheRolloutSucceeds()
    {
        await using var fleet = await Fleet(2, i => i == 1 ? ["ring=canary"] : ["ring=main"]);
        var first = await fleet.ApplyAsync(Motd("1", "maxUnavailable: 100%"));
        await WaitForPhase(fleet, first.RolloutId, RolloutPhase.Succeeded);
        var second = await fleet.ApplyAsync(Motd("2", """
            waves:
              - name: canary
                selector: { matchLabels: { ring: canary } }
              - name: rest
                approval: true
            """));
        await WaitForPhase(fleet, second.RolloutId, RolloutPhase.WaitingApproval);

        fleet.StartAgent("late-main", "env=dev", "ring=main");
        fleet.StartAgent("late-canary", "env=dev", "ring=canary");
        await Eventually.Holds(() => fleet.ReadTargetFile("late-canary", "etc/motd") == "motd late-canary v1", "the late canary gets the stable revision 1");
        await Eventually.Holds(async () => (await fleet.RolloutAsync(second.RolloutId)).Waves[1].Targets.Any(t => t.Name == "late-main"), "late-main joins wave rest");
        await fleet.Admin.ApproveRolloutAsync(new GetRequest { Name = second.RolloutId }, cancellationToken: Cancel);
        await WaitForPhase(fleet, second.RolloutId, RolloutPhase.Succeeded);

        Assert.Equal("motd late-main v2", fleet.ReadTargetFile("late-main", "etc/motd"));
        await Eventually.Holds(() => fleet.ReadTargetFile("late-canary", "etc/motd") == "motd late-canary v2", "the late canary gets revision 2 once the rollout succeeded");
    }

    [Fact]
    public async Task TargetJoiningAFirstRolloutAfterItsWaveStarted_GetsTheRevisionWhenTheRolloutSucceeds()
    {
        await using var fleet = await Fleet(2, i => i == 1 ? ["ring=canary"] : ["ring=main"]);
        var first = await fleet.ApplyAsync(Motd("1", """
            waves:
              - name: canary
                selector: { matchLabels: { ring: canary } }
              - name: rest
                approval: true
            """));
        await WaitForPhase(fleet, first.RolloutId, RolloutPhase.WaitingApproval);

        // No stable revision yet: nothing to run while the rollout goes on (the reproducer ran nothing for good).
        fleet.StartAgent("late-canary", "env=dev", "ring=canary");
        await fleet.WaitForConnectedAsync(3);
        Assert.DoesNotContain((await fleet.RolloutAsync(first.RolloutId)).Waves.SelectMany(w => w.Targets), t => t.Name == "late-canary");
        await fleet.Admin.ApproveRolloutAsync(new GetRequest { Name = first.RolloutId }, cancellationToken: Cancel);
        await WaitForPhase(fleet, first.RolloutId, RolloutPhase.Succeeded);

        await Eventually.Holds(() => fleet.ReadTargetFile("late-canary", "etc/motd") == "motd late-canary v1", "the late canary gets revision 1 once the rollout succeeded");
        await Eventually.Holds(async () => (await fleet.TargetAsync("late-canary")).Capabilities["motd"].State == TargetCapabilityState.Ready, "late-canary reports motd Ready");
    }

    [Fact]
    public async Task NewRevisionDuringARollout_SupersedesIt()
    {
        await using var fleet = await Fleet(2, _ => []);
        var first = await fleet.ApplyAsync(Motd("1", "maxUnavailable: 1\nsoakSeconds: 30"));
        await Eventually.Holds(async () => (await fleet.RolloutAsync(first.RolloutId)).Counts.InProgress == 1, "first rollout in flight");

        var second = await fleet.ApplyAsync(Motd("2", "maxUnavailable: 100%"));

        Assert.Equal(RolloutPhase.Superseded, (await fleet.RolloutAsync(first.RolloutId)).Phase);
        await WaitForPhase(fleet, second.RolloutId, RolloutPhase.Succeeded);
        Assert.Equal("motd t2 v2", fleet.ReadTargetFile("t2", "etc/motd"));
    }

    [Fact]
    public async Task ManualTrigger_WaitsForRolloutStartWithFlagsOverTheStrategy()
    {
        await using var fleet = await Fleet(2, _ => []);
        var applied = await fleet.ApplyAsync(Motd("1", "trigger: manual"));
        Assert.Equal("", applied.RolloutId);
        // No rollout exists, and only a rollout hands targets a revision.
        Assert.Empty((await fleet.Admin.ListRolloutsAsync(new ListRequest(), cancellationToken: Cancel)).Items);
        Assert.Empty((await fleet.TargetAsync("t1")).Capabilities);
        Assert.Null(fleet.ReadTargetFile("t1", "etc/motd"));

        var plan = await fleet.Admin.PlanRolloutAsync(new StartRolloutRequest { Capability = "motd", MaxUnavailable = "100%" }, cancellationToken: Cancel);
        Assert.Equal((2, 2), (plan.Waves.Single().MaxUnavailable, plan.Waves.Single().Targets.Count(t => t.Change)));
        Assert.Null(fleet.ReadTargetFile("t1", "etc/motd"));

        var started = await fleet.Admin.StartRolloutAsync(new StartRolloutRequest { Capability = "motd", MaxUnavailable = "100%" }, cancellationToken: Cancel);
        var done = await WaitForPhase(fleet, started.Id, RolloutPhase.Succeeded);

        Assert.Equal(2, done.Waves.Single().MaxUnavailable);
        Assert.Equal("motd t2 v1", fleet.ReadTargetFile("t2", "etc/motd"));
    }

    [Fact]
    public async Task Plan_ExplainsWhyTargetsWouldOrWouldNotChange()
    {
        await using var fleet = await Fleet(2, _ => []);
        fleet.StartAgent("prod", "env=prod");
        await fleet.WaitForConnectedAsync(3);
        var first = await fleet.ApplyAsync(Motd("1", "maxUnavailable: 100%"));
        await WaitForPhase(fleet, first.RolloutId, RolloutPhase.Succeeded);

        var plan = await fleet.Admin.PlanRolloutAsync(new StartRolloutRequest
        {
            Capability = "motd",
            Revision = 1,
            StrategyYaml = "waves:\n  - name: one\n    selector: { matchLabels: { env: dev } }\n    maxUnavailable: 1\n",
            StrategySource = "s.yaml",
        }, cancellationToken: Cancel);

        var wave = plan.Waves.Single();
        Assert.Equal(("one", 1), (wave.Name, wave.MaxUnavailable));
        Assert.All(wave.Targets, t => Assert.Equal((false, "already at revision 1"), (t.Change, t.Reason)));
        Assert.Contains("not placed", plan.Excluded.Single(t => t.Name == "prod").Reason);
        Assert.Single((await fleet.Admin.ListRolloutsAsync(new ListRequest(), cancellationToken: Cancel)).Items);
    }
}
