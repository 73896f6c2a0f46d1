using Fleet.Domain.Rendering;
using Fleet.Domain.Rollouts;
using Fleet.Domain.Serialization;
using Fleet.Hub.Capabilities;
using Fleet.Hub.Index;
using Fleet.Hub.Rendering;
using Fleet.Hub.Targets;

namespace Fleet.Hub.Rollouts;

/// <summary>
/// Runs one rollout. The decisions are the pure <see cref="RolloutProgress"/>'s; this grain persists each
/// transition before it acts on it and acts idempotently, so a crash at any point either repeats an
/// assignment the target already has or resumes from the stored state. It wakes on target reports, on a
/// timer at the next deadline/soak end/window opening, and on a durable reminder after a restart.
/// </summary>
internal sealed partial class RolloutGrain(
    [PersistentState("rollout", "fleet")] IPersistentState<RolloutGrainState> state,
    CompiledRevisionCache revisions,
    TimeProvider time,
    Observability.FleetMetrics metrics,
    Dashboard.DashboardChanges dashboard,
    ILogger<RolloutGrain> logger) : Grain, IRolloutGrain, IRemindable
{
    /// <summary>How often a live rollout wakes by itself at the latest; it resumes a rollout after a restart.</summary>
    internal static readonly TimeSpan TickPeriod = TimeSpan.FromSeconds(10);

    private const string TickReminder = "tick";

    /// <summary>After (re)activation every in-flight assignment is re-issued once, in case a report was lost.</summary>
    private bool _reissued;

    private IGrainTimer? _wake;
    private DateTimeOffset? _wakeAt;
    private IGrainTimer? _soon;
    private ResolvedRolloutStrategy? _strategy;
    private RolloutProgress? _progress;

    /// <summary>Results recorded in memory and not yet persisted (they are, with the next step).</summary>
    private bool _dirty;

    /// <summary>
    /// Reports arriving close together are handled in one step and one write: a report lost to a crash
    /// before that write is recovered, since the re-issued assignment finds the target already there.
    /// </summary>
    internal static readonly TimeSpan CoalesceReports = TimeSpan.FromMilliseconds(20);

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.RecordExists)
        {
            await LoadStrategy(null);
        }
    }

    public async Task Start(RolloutStart start)
    {
        if (state.RecordExists)
        {
            await Advance();
            return;
        }

        var compiled = await revisions.GetAsync(start.Capability, start.ToRevision)
            ?? throw new InvalidOperationException($"capability {start.Capability} has no revision {start.ToRevision}");
        var now = time.GetUtcNow();
        var s = state.State;
        s.Capability = start.Capability;
        s.FromRevision = start.FromRevision;
        s.ToRevision = start.ToRevision;
        s.StrategyOverrideJson = start.StrategyOverrideJson;
        s.UndoOf = start.UndoOf;
        s.Created = now;
        var strategy = await LoadStrategy(compiled);
        var leftOut = new PlacementFailures();
        if (start.UndoTargets is { } undo)
        {
            s.Record = RolloutProgress.PlanRollback(strategy, undo.Select(t => (t.Name, t.Revision)), $"rolling back: undo of rollout {start.UndoOf}");
        }
        else
        {
            var cohort = await SelectCohort(compiled, start.Capability, leftOut);
            s.Record = RolloutProgress.Plan(strategy, cohort, start.ToRevision);
            leftOut.FailIfNothingPlaced(s.Record, cohort.Count(m => m.Action == RolloutAction.Update));
        }

        _progress = null;
        var progress = Load();
        progress.Start();
        await Save(progress);
        LogStarted(logger, Id, s.Capability, s.ToRevision, progress.Counts.Total, s.Record.Waves.Count);
        metrics.RolloutStarted(s.Capability);
        if (!s.Record.Phase.IsTerminal())
        {
            await this.RegisterOrUpdateReminder(TickReminder, TickPeriod, TickPeriod);
        }

        // The first batch starts outside this call so that whoever started us is not held up by it.
        this.AsReference<IRolloutGrain>().Kick().Ignore();
    }

    public async Task OnTargetResult(string target, string capability, long revision, TargetOutcome outcome, string message)
    {
        if (!state.RecordExists || capability != state.State.Capability)
        {
            return;
        }

        var progress = Load();
        if (progress.Find(target) is not { } entry || entry.Revision != revision
            || !progress.Complete(target, outcome, message, time.GetUtcNow()))
        {
            return;
        }

        _dirty = true;
        _soon ??= this.RegisterGrainTimer(
            async _ =>
            {
                _soon?.Dispose();
                _soon = null;
                await Advance();
            },
            new GrainTimerCreationOptions(CoalesceReports, Timeout.InfiniteTimeSpan));
    }

    public async Task OfferTarget(TargetIndexEntry target)
    {
        if (!state.RecordExists)
        {
            return;
        }

        var s = state.State;
        var progress = Load();
        var info = new TargetInfo(target.Name, target.Labels, target.Facts, target.Driver);
        var joined = false;
        if (!progress.Phase.IsTerminal() && progress.Find(target.Name) is null && !s.Record.RollingBack
            && await revisions.GetAsync(s.Capability, s.ToRevision) is { } compiled && compiled.Place(info).Placed)
        {
            joined = progress.Join(new CohortMember(target.Name, target.Labels, RolloutAction.Update), s.ToRevision);
            if (joined)
            {
                await Save(progress);
                LogJoined(logger, Id, target.Name);
                await Advance();
            }
        }

        if (!joined && !progress.Phase.IsTerminal())
        {
            // Too late for this rollout: the target runs the stable revision until the rollout succeeds (Finish).
            s.LateJoiners.RemoveAll(t => t.Name == target.Name);
            s.LateJoiners.Add(target);
            await state.WriteStateAsync();
        }

        // A rollout that has just ended decides what is stable now (the capability may not have heard of its end yet).
        var stableRevision = StableRevision() ?? s.FromRevision;
        if (!joined && stableRevision > 0 && await revisions.GetAsync(s.Capability, stableRevision) is { } stable && stable.Place(info).Placed)
        {
            await GrainFactory.GetGrain<ITargetGrain>(target.Name).Assign(s.Capability, stableRevision, rolloutId: null);
        }
    }

    public async Task Supersede(string byRollout)
    {
        if (state.RecordExists && Load() is { } progress && progress.Supersede(byRollout, time.GetUtcNow()))
        {
            await Save(progress);
            await Finish();
        }
    }

    public Task<RolloutView?> Pause() => Control(p => p.Pause("paused by an operator (fleet rollout resume to continue)"));

    public Task<RolloutView?> Resume() => Control(p => p.Resume());

    public Task<RolloutView?> Abort() => Control(p => p.Abort("aborted by an operator: no further target updates start; nothing was reverted", time.GetUtcNow()));

    public Task<RolloutView?> Approve() => Control(p => p.Approve());

    public Task<List<UndoTarget>> ChangedTargets() =>
        Task.FromResult(state.RecordExists
            ? Load().ChangedTargets().Select(t => new UndoTarget(t.Name, t.Revision)).ToList()
            : []);

    public Task Kick() => state.RecordExists ? Advance() : Task.CompletedTask;

    public Task<RolloutView?> Get() => Task.FromResult(state.RecordExists ? View() : null);

    public Task ReceiveReminder(string reminderName, TickStatus status) => state.RecordExists ? Advance() : Task.CompletedTask;

    private async Task<RolloutView?> Control(Func<RolloutProgress, bool> change)
    {
        if (!state.RecordExists)
        {
            return null;
        }

        var progress = Load();
        if (change(progress))
        {
            await Save(progress);
            if (!progress.Phase.IsTerminal())
            {
                await this.RegisterOrUpdateReminder(TickReminder, TickPeriod, TickPeriod);
            }

            await Advance();
        }

        return View();
    }

    /// <summary>Runs the state machine until nothing more may start now; persists before each act.</summary>
    private async Task Advance()
    {
        var progress = Load();
        if (!_reissued && !progress.Phase.IsTerminal())
        {
            _reissued = true;
            var inFlight = progress.ActiveEntries.Where(t => t.State == RolloutTargetState.InProgress).ToList();
            if (inFlight.Count > 0)
            {
                await Act(progress, inFlight);
            }
        }

        while (true)
        {
            var before = Fingerprint();
            var step = progress.Advance(time.GetUtcNow());
            if (_dirty || Fingerprint() != before || step.Started.Count > 0 || step.Expired.Count > 0)
            {
                await Save(progress);
            }

            if (step.Started.Count == 0)
            {
                break;
            }

            await Act(progress, step.Started);
        }

        await Finish();
        ScheduleWake(progress);
    }

    /// <summary>Hands each target its revision; targets that need no agent round trip complete at once.</summary>
    private async Task Act(RolloutProgress progress, IReadOnlyList<RolloutTargetEntry> batch)
    {
        using var activity = Observability.FleetActivity.Source.StartActivity("fleet.rollout.batch");
        activity?.SetTag("fleet.rollout", Id).SetTag("fleet.capability", state.State.Capability).SetTag("fleet.targets", batch.Count);
        var s = state.State;
        var skipOffline = Strategy().OfflineTargets == Domain.Model.OfflineTargets.Skip;
        var outcomes = await Task.WhenAll(batch.Select(async entry =>
        {
            var target = GrainFactory.GetGrain<ITargetGrain>(entry.Name);
            var outcome = entry.Revision == 0
                ? await target.Unassign(s.Capability, Id, skipOffline)
                : await target.Assign(s.Capability, entry.Revision, Id, skipOffline);
            return (entry.Name, outcome);
        }));

        var now = time.GetUtcNow();
        foreach (var (name, outcome) in outcomes)
        {
            if (outcome.Status != AssignStatus.Skipped)
            {
                progress.RecordPrevious(name, outcome.PreviousRevision);
            }

            switch (outcome.Status)
            {
                case AssignStatus.Done:
                    progress.Complete(name, TargetOutcome.Ready, outcome.Message, now);
                    break;
                case AssignStatus.Failed:
                    progress.Complete(name, TargetOutcome.Failed, outcome.Message, now);
                    break;
                case AssignStatus.Skipped:
                    progress.Complete(name, TargetOutcome.Skipped, outcome.Message, now);
                    break;
            }
        }

        await Save(progress);
    }

    private async Task Finish()
    {
        var s = state.State;
        if (!s.Record.Phase.IsTerminal())
        {
            return;
        }

        if (!s.Reported)
        {
            // Before the end is recorded, so a crash here repeats these (idempotent) assignments rather than losing them.
            await CatchUpLateJoiners();
            s.Reported = true;
            await state.WriteStateAsync();
            LogFinished(logger, Id, s.Record.Phase.ToString(), s.Record.Message);
            metrics.RolloutFinished(s.Capability, s.Record, s.Created, time.GetUtcNow());
            DeliveryKeys.Owner(GrainFactory, s.Capability).OnRolloutFinished(Id, s.Record.Phase.ToString(), StableRevision() ?? 0).Ignore();
        }

        _wake?.Dispose();
        _wake = null;
        var reminder = await this.GetReminder(TickReminder);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>Targets that joined too late for a rollout that then succeeded receive its revision now, where it places them.</summary>
    private async Task CatchUpLateJoiners()
    {
        var s = state.State;
        if (s.LateJoiners.Count == 0 || s.Record.Phase != RolloutPhase.Succeeded
            || await revisions.GetAsync(s.Capability, s.ToRevision) is not { } compiled)
        {
            return;
        }

        var placed = s.LateJoiners.Where(t => compiled.Place(new TargetInfo(t.Name, t.Labels, t.Facts, t.Driver)).Placed);
        await Task.WhenAll(placed.Select(t => GrainFactory.GetGrain<ITargetGrain>(t.Name).Assign(s.Capability, s.ToRevision, rolloutId: null)));
        LogLateJoinersCaughtUp(logger, Id, s.LateJoiners.Count);
        s.LateJoiners.Clear();
    }

    /// <summary>A timer for the next moment time alone changes something (deadline, soak, window), in addition to the reminder.</summary>
    private void ScheduleWake(RolloutProgress progress)
    {
        if (progress.Phase.IsTerminal())
        {
            return;
        }

        var now = time.GetUtcNow();
        var next = progress.NextWake(now);
        if (next is null || next == _wakeAt)
        {
            return;
        }

        _wake?.Dispose();
        _wakeAt = next;
        var due = next.Value - now;
        _wake = this.RegisterGrainTimer(
            async _ =>
            {
                _wakeAt = null;
                await Advance();
            },
            new GrainTimerCreationOptions(due < TimeSpan.Zero ? TimeSpan.Zero : due + TimeSpan.FromMilliseconds(10), Timeout.InfiniteTimeSpan));
    }

    /// <summary>
    /// The cohort is fixed at start, by <see cref="CohortRule"/> over every known target; targets whose placement
    /// failed to evaluate are noted in <paramref name="leftOut"/>.
    /// </summary>
    private async Task<List<CohortMember>> SelectCohort(CompiledCapability compiled, string capability, PlacementFailures leftOut)
    {
        var cohort = new List<CohortMember>();
        foreach (var entry in await TargetIndex.ListAll(GrainFactory))
        {
            var decision = compiled.Place(new TargetInfo(entry.Name, entry.Labels, entry.Facts, entry.Driver));
            leftOut.Add(entry.Name, decision);
            if (CohortRule.MemberFor(entry.Name, entry.Labels, decision.Placed, runsCapability: entry.Capabilities.Contains(capability)) is { } member)
            {
                cohort.Add(member);
            }
        }

        return cohort;
    }

    private ResolvedRolloutStrategy Strategy() =>
        _strategy ?? throw new InvalidOperationException("the rollout's strategy is loaded at activation or start");

    /// <summary>The capability's strategy at the target revision, under the flags/file given at start.</summary>
    private async Task<ResolvedRolloutStrategy> LoadStrategy(CompiledCapability? compiled)
    {
        var s = state.State;
        compiled ??= await revisions.GetAsync(s.Capability, s.ToRevision)
            ?? throw new InvalidOperationException($"capability {s.Capability} has no revision {s.ToRevision}");
        var overrides = s.StrategyOverrideJson is { } json ? RolloutStrategyJson.Deserialize(json) : null;
        _strategy = ResolvedRolloutStrategy.Resolve(overrides, compiled.Spec.Rollout);
        return _strategy;
    }

    /// <summary>What the fleet stably runs once this rollout ended: the new revision on success, the old one after a rollback.</summary>
    private long? StableRevision()
    {
        var s = state.State;
        return s.Record.Phase switch
        {
            RolloutPhase.Succeeded => s.ToRevision,
            RolloutPhase.RolledBack => s.UndoOf is null ? s.FromRevision : s.ToRevision,
            _ => null,
        };
    }

    private RolloutProgress Load() => _progress ??= new RolloutProgress(Strategy(), state.State.Record);

    private string Fingerprint() => $"{state.State.Record.Phase}|{state.State.Record.Message}|{state.State.Record.CurrentWave}";

    private async Task Save(RolloutProgress progress)
    {
        state.State.Updated = time.GetUtcNow();
        _dirty = false;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Memory now differs from storage: start over from what was stored, at the next call.
            _progress = null;
            DeactivateOnIdle();
            throw;
        }

        // Every transition is saved here, whoever caused it (a report, a timer, the CLI, the dashboard): open pages
        // look again. Only after the write, so what they read is what was stored.
        dashboard.Publish("rollout");
    }

    private RolloutView View()
    {
        var s = state.State;
        var progress = Load();
        var counts = progress.Counts;
        var record = s.Record;
        var now = time.GetUtcNow();
        var waves = record.Waves.Select((w, i) => new RolloutWaveView(
            w.Name,
            w.Phase,
            record.Targets.Where(t => t.Wave == i).Select(ToView).ToList(),
            w.MaxUnavailable,
            w.SoakSeconds,
            w.Approval)).ToList();
        var unselected = record.Targets.Where(t => t.Wave < 0).Select(ToView).ToList();
        if (unselected.Count > 0)
        {
            waves.Add(new RolloutWaveView("(no wave)", RolloutPhase.Succeeded, unselected));
        }

        var current = record.CurrentWave < record.Waves.Count ? record.Waves[record.CurrentWave] : null;
        return new RolloutView
        {
            Id = Id,
            Capability = s.Capability,
            FromRevision = s.FromRevision,
            ToRevision = s.ToRevision,
            Phase = record.Phase,
            Message = record.Message,
            Total = counts.Total,
            Succeeded = counts.Succeeded,
            Failed = counts.Failed,
            InProgress = counts.InProgress,
            Pending = counts.Pending,
            Skipped = counts.Skipped,
            Created = s.Created,
            Updated = s.Updated,
            MaxUnavailable = current?.MaxUnavailable ?? 0,
            Waves = waves,
            Gate = Gate(progress, current, now),
            Eta = Eta(counts, s.Created, now, record.Phase),
            RollingBack = record.RollingBack,
            UndoOf = s.UndoOf,
        };
    }

    private static RolloutTargetView ToView(RolloutTargetEntry t) => new(t.Name, t.State, t.Message, t.Action.ToString());

    private static string Gate(RolloutProgress progress, RolloutWave? current, DateTimeOffset now) => progress.Phase switch
    {
        RolloutPhase.WaitingApproval => $"approval of wave {current?.Name}",
        RolloutPhase.WaitingWindow => progress.Message,
        RolloutPhase.Paused => "paused: " + progress.Message,
        RolloutPhase.Running when progress.ActiveEntries.Any(e => e.State == RolloutTargetState.InProgress && e.ReadyAt is not null)
            => $"soak of {progress.ActiveEntries.Count(e => e.State == RolloutTargetState.InProgress && e.ReadyAt is not null)} target(s) in wave {current?.Name}",
        RolloutPhase.Running when progress.Counts.InProgress > 0 => $"{progress.Counts.InProgress} target(s) updating in wave {current?.Name}",
        _ => "",
    };

    private static DateTimeOffset? Eta(RolloutCounts counts, DateTimeOffset created, DateTimeOffset now, RolloutPhase phase)
    {
        var finished = counts.Succeeded + counts.Failed + counts.Skipped;
        if (phase != RolloutPhase.Running || finished == 0 || finished >= counts.Total)
        {
            return null;
        }

        var perTarget = (now - created) / finished;
        return now + (perTarget * (counts.Total - finished));
    }
}
