using Fleet.Domain.Rendering;
using Fleet.Domain.Rollouts;
using Fleet.Hub.Capabilities;
using Fleet.Hub.Index;
using Fleet.Hub.Rendering;
using Fleet.Hub.Targets;

namespace Fleet.Hub.Rollouts;

/// <summary>
/// Runs one rollout. The decisions are made by the pure <see cref="RolloutProgress"/>; this grain
/// persists each transition before it acts on it, and acts idempotently, so that a crash at any point
/// either repeats an assignment the target already has or resumes from the stored state.
/// </summary>
internal sealed partial class RolloutGrain(
    [PersistentState("rollout", "fleet")] IPersistentState<RolloutGrainState> state,
    CompiledRevisionCache revisions,
    TimeProvider time,
    ILogger<RolloutGrain> logger) : Grain, IRolloutGrain, IRemindable
{
    /// <summary>How often a running rollout wakes by itself: deadlines, and resuming after a restart.</summary>
    internal static readonly TimeSpan TickPeriod = TimeSpan.FromSeconds(10);

    private const string TickReminder = "tick";

    /// <summary>After (re)activation every in-flight assignment is re-issued once, in case a report was lost.</summary>
    private bool _reissued;

    private string Id => this.GetPrimaryKeyString();

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
        s.Strategy = ResolvedRolloutStrategy.Resolve(compiled.Spec.Rollout);
        s.Targets = await SelectCohort(compiled, start.Capability);
        s.Created = now;
        s.Phase = RolloutPhase.Pending;

        var progress = Load();
        progress.Start();
        Save(progress);
        await state.WriteStateAsync();
        LogStarted(logger, Id, s.Capability, s.ToRevision, s.Targets.Count, progress.MaxUnavailable);
        if (!s.Phase.IsTerminal())
        {
            await this.RegisterOrUpdateReminder(TickReminder, TickPeriod, TickPeriod);
        }

        // The first batch starts outside this call so that whoever started us is not held up by it.
        this.AsReference<IRolloutGrain>().Kick().Ignore();
    }

    public async Task OnTargetResult(string target, string capability, long revision, bool succeeded, string message)
    {
        var s = state.State;
        if (!state.RecordExists || capability != s.Capability)
        {
            return;
        }

        var progress = Load();
        var entry = progress.Find(target);
        var expected = entry?.Action == RolloutAction.Remove ? 0 : s.ToRevision;
        if (entry is null || revision != expected || !progress.Complete(target, succeeded, message, time.GetUtcNow()))
        {
            return;
        }

        Save(progress);
        await state.WriteStateAsync();
        await Advance();
    }

    public async Task Supersede(string byRollout)
    {
        if (!state.RecordExists)
        {
            return;
        }

        var progress = Load();
        progress.Supersede(byRollout);
        Save(progress);
        await state.WriteStateAsync();
        await Finish();
    }

    public Task Kick() => state.RecordExists ? Advance() : Task.CompletedTask;

    public Task<RolloutView?> Get()
    {
        if (!state.RecordExists)
        {
            return Task.FromResult<RolloutView?>(null);
        }

        var s = state.State;
        var counts = Load().Counts;
        return Task.FromResult<RolloutView?>(new RolloutView
        {
            Id = Id,
            Capability = s.Capability,
            FromRevision = s.FromRevision,
            ToRevision = s.ToRevision,
            Phase = s.Phase.ToString(),
            Message = s.Message,
            Total = counts.Total,
            Succeeded = counts.Succeeded,
            Failed = counts.Failed,
            InProgress = counts.InProgress,
            Pending = counts.Pending,
            Skipped = counts.Skipped,
            Created = s.Created,
            MaxUnavailable = s.Strategy.MaxUnavailable.Resolve(counts.Total),
            Waves =
            [
                new RolloutWaveView(
                    "default",
                    s.Phase.ToString(),
                    s.Targets.Select(t => new RolloutTargetView(t.Name, t.State.ToString(), t.Message, t.Action.ToString())).ToList()),
            ],
        });
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => state.RecordExists ? Advance() : Task.CompletedTask;

    /// <summary>Expire deadlines, then start batches until none may start; persist before each act.</summary>
    private async Task Advance()
    {
        var s = state.State;
        var progress = Load();
        if (progress.Phase != RolloutPhase.Running)
        {
            await Finish();
            return;
        }

        var now = time.GetUtcNow();
        if (progress.ExpireDeadlines(now).Count > 0)
        {
            Save(progress);
            await state.WriteStateAsync();
        }

        if (!_reissued)
        {
            _reissued = true;
            var inFlight = progress.Targets.Where(t => t.State == RolloutTargetState.InProgress).ToList();
            if (inFlight.Count > 0)
            {
                await Act(progress, inFlight);
            }
        }

        while (true)
        {
            var batch = progress.StartNextBatch(time.GetUtcNow());
            if (batch.Count == 0)
            {
                break;
            }

            Save(progress);
            await state.WriteStateAsync();
            await Act(progress, batch);
        }

        await Finish();
    }

    /// <summary>Hands each target its assignment; targets that need no agent round trip complete at once.</summary>
    private async Task Act(RolloutProgress progress, IReadOnlyList<RolloutTargetEntry> batch)
    {
        var s = state.State;
        var outcomes = await Task.WhenAll(batch.Select(async entry =>
        {
            var target = GrainFactory.GetGrain<ITargetGrain>(entry.Name);
            var outcome = entry.Action == RolloutAction.Remove
                ? await target.Unassign(s.Capability, Id)
                : await target.Assign(s.Capability, s.ToRevision, Id);
            return (entry.Name, outcome);
        }));

        var changed = false;
        foreach (var (name, outcome) in outcomes)
        {
            if (outcome.Status != AssignStatus.Waiting)
            {
                changed |= progress.Complete(name, outcome.Status == AssignStatus.Done, outcome.Message, time.GetUtcNow());
            }
        }

        if (changed)
        {
            Save(progress);
            await state.WriteStateAsync();
        }
    }

    private async Task Finish()
    {
        var s = state.State;
        if (s.Phase == RolloutPhase.Running)
        {
            return;
        }

        if (s.Phase.IsTerminal() && !s.Reported)
        {
            s.Reported = true;
            await state.WriteStateAsync();
            LogFinished(logger, Id, s.Phase.ToString(), s.Message);
            GrainFactory.GetGrain<ICapabilityGrain>(s.Capability).OnRolloutFinished(Id, s.Phase.ToString(), s.ToRevision).Ignore();
        }

        var reminder = await this.GetReminder(TickReminder);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>
    /// The cohort is fixed at start: targets the new revision places receive it; targets that run the
    /// capability but are no longer placed have it removed.
    /// </summary>
    private async Task<List<RolloutTargetEntry>> SelectCohort(CompiledCapability compiled, string capability)
    {
        var cohort = new List<RolloutTargetEntry>();
        foreach (var entry in await TargetIndex.ListAll(GrainFactory))
        {
            var placed = compiled.Place(new TargetInfo(entry.Name, entry.Labels, entry.Facts, entry.Driver)).Placed;
            if (placed)
            {
                cohort.Add(new RolloutTargetEntry { Name = entry.Name, Action = RolloutAction.Update });
            }
            else if (entry.Capabilities.Contains(capability))
            {
                cohort.Add(new RolloutTargetEntry { Name = entry.Name, Action = RolloutAction.Remove });
            }
        }

        return cohort;
    }

    private RolloutProgress Load() => new(state.State.Strategy, state.State.Targets, state.State.Phase, state.State.Message);

    private void Save(RolloutProgress progress)
    {
        var s = state.State;
        s.Phase = progress.Phase;
        s.Message = progress.Message;
        s.Updated = time.GetUtcNow();
    }
}
