using Fleet.Domain.Model;

namespace Fleet.Domain.Rollouts;

/// <summary>
/// The rollout state machine of SPEC §4, free of storage, messaging and clocks (time is passed in):
/// ordered waves with per-wave maxUnavailable, approval gates, a maintenance window, soak, progress
/// deadlines, a failure budget with a minimum sample, pause or automatic rollback, and operator
/// controls. Every method changes only the <see cref="RolloutRecord"/> it was given; the grain
/// persists that record after each call and only then acts on what the call returned.
/// </summary>
public sealed class RolloutProgress
{
    private readonly ResolvedRolloutStrategy _strategy;
    private readonly RolloutRecord _record;
    private readonly MaintenanceWindow? _window;
    private readonly ActiveEntryIndex _active = new();

    public RolloutProgress(ResolvedRolloutStrategy strategy, RolloutRecord record)
    {
        _strategy = strategy;
        _record = record;
        _window = strategy.Window is { } window ? MaintenanceWindow.Create(window) : null;
        IndexActiveEntries();
    }

    public RolloutRecord Record => _record;

    public RolloutPhase Phase => _record.Phase;

    public string Message => _record.Message;

    /// <summary>The entries of the current direction (forward, or the rollback wave once rolling back).</summary>
    public IEnumerable<RolloutTargetEntry> ActiveEntries => _active.All;

    public RolloutCounts Counts => new(
        _active.Count,
        _active[RolloutTargetState.Succeeded],
        _active[RolloutTargetState.Failed],
        _active[RolloutTargetState.InProgress],
        _active[RolloutTargetState.Pending],
        _active[RolloutTargetState.Skipped]);

    /// <summary>Failures tolerated before the rollout stops (percentages of the cohort, rounded down).</summary>
    public int MaxFailures => _strategy.MaxFailures.IsPercent
        ? _active.Count * _strategy.MaxFailures.Value / 100
        : _strategy.MaxFailures.Value;

    /// <summary>
    /// Fixes the cohort: each target goes to the first wave whose selector matches it (a wave without a
    /// selector takes all the rest); a target no wave selects is skipped, with the reason.
    /// </summary>
    public static RolloutRecord Plan(ResolvedRolloutStrategy strategy, IEnumerable<CohortMember> members, long toRevision)
    {
        var specs = strategy.Waves.Count > 0
            ? strategy.Waves
            : [new WaveSpec { Name = "default" }];
        var record = new RolloutRecord();
        var byWave = new List<CohortMember>[specs.Count];
        for (var i = 0; i < specs.Count; i++)
        {
            byWave[i] = [];
        }

        var unselected = new List<CohortMember>();
        foreach (var member in members.OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            var wave = -1;
            for (var i = 0; i < specs.Count && wave < 0; i++)
            {
                if (specs[i].Selector is not { } selector || selector.Matches(member.Labels))
                {
                    wave = i;
                }
            }

            (wave >= 0 ? byWave[wave] : unselected).Add(member);
        }

        var total = byWave.Sum(w => w.Count);
        for (var i = 0; i < specs.Count; i++)
        {
            var spec = specs[i];
            record.Waves.Add(new RolloutWave
            {
                Name = spec.Name,
                // A wave's own maxUnavailable is relative to the wave; the rollout's, to the whole rollout.
                MaxUnavailable = spec.MaxUnavailable is { } own ? own.Resolve(byWave[i].Count) : strategy.MaxUnavailable.Resolve(total),
                SoakSeconds = spec.SoakSeconds ?? strategy.SoakSeconds,
                Approval = spec.Approval,
            });
            record.Targets.AddRange(byWave[i].Select(m => Entry(m, i, toRevision)));
        }

        record.Targets.AddRange(unselected.Select(m =>
        {
            var entry = Entry(m, -1, toRevision);
            entry.State = RolloutTargetState.Skipped;
            entry.Message = "no wave selects this target";
            return entry;
        }));
        return record;
    }

    /// <summary>An undo rollout: the given targets go back to the given revisions (0: remove), in one wave.</summary>
    public static RolloutRecord PlanRollback(ResolvedRolloutStrategy strategy, IEnumerable<(string Name, long Revision)> targets, string reason)
    {
        var record = new RolloutRecord { RollingBack = true, Message = reason };
        var list = targets.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        record.Waves.Add(RollbackWave(strategy, list.Count));
        record.Targets.AddRange(list.Select(t => new RolloutTargetEntry
        {
            Name = t.Name,
            Wave = 0,
            Revision = t.Revision,
            Action = t.Revision == 0 ? RolloutAction.Remove : RolloutAction.Update,
        }));
        return record;
    }

    public RolloutTargetEntry? Find(string name) => _active.Find(name);

    /// <summary>
    /// A target that appeared after the start joins the first wave that selects it, if that wave has not
    /// started yet; otherwise it is too late for this rollout (false) and it keeps the stable revision.
    /// </summary>
    public bool Join(CohortMember member, long toRevision)
    {
        if (_record.Phase.IsTerminal() || _record.RollingBack || _active.Contains(member.Name))
        {
            return false;
        }

        var specs = _strategy.Waves.Count > 0 ? _strategy.Waves : [new WaveSpec { Name = "default" }];
        for (var i = 0; i < specs.Count && i < _record.Waves.Count; i++)
        {
            if (specs[i].Selector is { } selector && !selector.Matches(member.Labels))
            {
                continue;
            }

            var wave = _record.Waves[i];
            if (i < _record.CurrentWave || wave.StartedAt is not null)
            {
                return false;
            }

            var entry = Entry(member, i, toRevision);
            _record.Targets.Add(entry);
            _active.Add(entry);
            return true;
        }

        return false;
    }

    /// <summary>Pending → Running (or straight to a final phase when there is nothing to do).</summary>
    public void Start()
    {
        if (_record.Phase == RolloutPhase.Pending)
        {
            _record.Phase = RolloutPhase.Running;
            _record.CurrentWave = FirstActiveWave();
        }
    }

    /// <summary>
    /// One step: fail targets past their deadline, finish soaks, apply the failure budget, move through
    /// finished waves, gates and the window, and start as many targets as the current wave allows.
    /// </summary>
    public RolloutAdvance Advance(DateTimeOffset now)
    {
        if (_record.Phase.IsTerminal() || _record.Phase == RolloutPhase.Pending)
        {
            return RolloutAdvance.Nothing;
        }

        var expired = ExpireDeadlines(now);
        PromoteSoaked(now);
        ApplyBudget(now);
        var started = new List<RolloutTargetEntry>();
        while (_record.Phase is RolloutPhase.Running or RolloutPhase.WaitingApproval or RolloutPhase.WaitingWindow)
        {
            if (_record.CurrentWave >= _record.Waves.Count)
            {
                Finish(now);
                break;
            }

            var wave = _record.Waves[_record.CurrentWave];
            var waveSize = _active.Wave(_record.CurrentWave).Count;
            if ((wave.StartedAt is not null || waveSize == 0) && _active.Unfinished(_record.CurrentWave) == 0)
            {
                // Done, or empty: a wave no target belongs to needs no approval and no window.
                wave.Phase = RolloutPhase.Succeeded;
                wave.FinishedAt = now;
                _record.CurrentWave = NextActiveWave(_record.CurrentWave);
                continue;
            }

            if (wave.StartedAt is null && wave.Approval && !wave.Approved)
            {
                SetPhase(wave, RolloutPhase.WaitingApproval, $"wave {wave.Name} waits for approval (fleet rollout approve)");
                break;
            }

            if (_active.Pending(_record.CurrentWave) > 0 && _window is not null && !_window.IsOpen(now))
            {
                var opens = _window.NextOpening(now);
                SetPhase(wave, RolloutPhase.WaitingWindow, opens is { } o ? $"waiting for the maintenance window at {o:yyyy-MM-dd HH:mm}Z" : "the maintenance window never opens again");
                break;
            }

            wave.StartedAt ??= now;
            SetPhase(wave, RolloutPhase.Running, _record.RollingBack ? _record.Message : "");
            var unavailable = _active.Unavailable(_record.CurrentWave);
            var free = wave.MaxUnavailable - unavailable;
            if (free <= 0 && !_active.InFlight.Any(e => e.Wave == _record.CurrentWave) && _active.Pending(_record.CurrentWave) > 0)
            {
                // Failures within the budget hold every slot: nothing can finish to free one. Say so rather than wait forever.
                Pause($"wave {wave.Name} is stalled: {unavailable} failed target(s) hold all {wave.MaxUnavailable} maxUnavailable slot(s); " +
                      "resume to accept the failures and continue, or undo");
                break;
            }

            foreach (var entry in _active.NextPending(_record.CurrentWave, free))
            {
                _active.Move(entry, RolloutTargetState.InProgress);
                entry.StartedAt = now;
                entry.Message = "";
                started.Add(entry);
            }

            break;
        }

        return new RolloutAdvance(started, expired);
    }

    /// <summary>
    /// Records what a target reported. Returns false, changing nothing, unless that target is in flight
    /// in the current direction: a duplicate or late report is never counted twice.
    /// </summary>
    public bool Complete(string name, TargetOutcome outcome, string message, DateTimeOffset now)
    {
        if (_active.Find(name) is not { } entry || entry.State != RolloutTargetState.InProgress)
        {
            return false;
        }

        var soak = entry.Wave >= 0 ? _record.Waves[entry.Wave].SoakSeconds : 0;
        switch (outcome)
        {
            case TargetOutcome.Ready when soak > 0:
                if (entry.ReadyAt is not null)
                {
                    return false;
                }

                entry.ReadyAt = now;
                entry.Message = $"ready; soaking until {now.AddSeconds(soak):yyyy-MM-dd HH:mm:ss}Z";
                return true;
            case TargetOutcome.Ready:
                Finish(entry, RolloutTargetState.Succeeded, message, now);
                break;
            case TargetOutcome.Unready:
                if (entry.ReadyAt is null)
                {
                    return false;
                }

                // The soak starts over once it is ready again; the deadline counts from now.
                entry.ReadyAt = null;
                entry.StartedAt = now;
                entry.Message = $"became unready while soaking: {message}";
                return true;
            case TargetOutcome.Failed:
                Finish(entry, RolloutTargetState.Failed, message, now);
                break;
            case TargetOutcome.Skipped:
                Finish(entry, RolloutTargetState.Skipped, message, now);
                break;
        }

        ApplyBudget(now);
        return true;
    }

    /// <summary>Remembers what a target ran before this rollout changed it, for rollback (first answer wins).</summary>
    public void RecordPrevious(string name, long previousRevision)
    {
        if (_active.Find(name) is { } entry && entry.PreviousRevision is null)
        {
            entry.PreviousRevision = previousRevision;
        }
    }

    /// <summary>The earliest moment something changes by time alone: a deadline, a soak's end, the window opening.</summary>
    public DateTimeOffset? NextWake(DateTimeOffset now)
    {
        DateTimeOffset? next = null;
        void Consider(DateTimeOffset? at)
        {
            if (at is { } a && (next is null || a < next))
            {
                next = a;
            }
        }

        foreach (var entry in _active.InFlight)
        {
            var soak = entry.Wave >= 0 ? _record.Waves[entry.Wave].SoakSeconds : 0;
            Consider(entry.ReadyAt is { } ready
                ? ready.AddSeconds(soak)
                : entry.StartedAt?.AddSeconds(_strategy.ProgressDeadlineSeconds));
        }

        if (_record.Phase == RolloutPhase.WaitingWindow && _window is not null)
        {
            Consider(_window.NextOpening(now));
        }

        return next;
    }

    public bool Pause(string reason)
    {
        if (_record.Phase.IsTerminal() || _record.Phase == RolloutPhase.Paused)
        {
            return false;
        }

        _record.Phase = RolloutPhase.Paused;
        _record.Message = reason;
        return true;
    }

    /// <summary>
    /// Continues a paused rollout. Failures so far are accepted: they count neither against the budget nor
    /// as unhealthy targets any more, so the wave can move on.
    /// </summary>
    public bool Resume()
    {
        if (_record.Phase != RolloutPhase.Paused)
        {
            return false;
        }

        foreach (var entry in _active.All.Where(e => e.IsUnhealthy).ToList())
        {
            _active.Move(entry, RolloutTargetState.Failed, failureAccepted: true);
        }

        _record.Phase = RolloutPhase.Running;
        _record.Message = _record.RollingBack ? "rolling back (resumed)" : "";
        return true;
    }

    /// <summary>Lets the wave that waits for approval start.</summary>
    public bool Approve()
    {
        if (_record.Phase != RolloutPhase.WaitingApproval || _record.CurrentWave >= _record.Waves.Count)
        {
            return false;
        }

        _record.Waves[_record.CurrentWave].Approved = true;
        _record.Phase = RolloutPhase.Running;
        _record.Message = "";
        return true;
    }

    /// <summary>Stops starting updates; nothing is reverted. Targets not started are skipped.</summary>
    public bool Abort(string reason, DateTimeOffset now)
    {
        if (_record.Phase.IsTerminal())
        {
            return false;
        }

        SkipPending("not updated: the rollout was aborted", now);
        _record.Phase = RolloutPhase.Aborted;
        _record.Message = reason;
        return true;
    }

    /// <summary>A newer rollout of the same capability took over: nothing more starts here.</summary>
    public bool Supersede(string byRollout, DateTimeOffset now)
    {
        if (_record.Phase.IsTerminal())
        {
            return false;
        }

        SkipPending($"not updated here: superseded by rollout {byRollout}", now);
        _record.Phase = RolloutPhase.Superseded;
        _record.Message = $"superseded by rollout {byRollout}";
        return true;
    }

    /// <summary>
    /// Turns this rollout around: every target it changed goes back to what it ran before, in a rollback
    /// wave with the same safety rules; targets not yet started are skipped.
    /// </summary>
    public bool BeginRollback(string reason, DateTimeOffset now)
    {
        if (_record.RollingBack || _record.Phase is RolloutPhase.Succeeded or RolloutPhase.Aborted or RolloutPhase.Superseded or RolloutPhase.RolledBack)
        {
            return false;
        }

        SkipPending("not updated: the rollout is rolling back", now);
        var changed = _active.All
            .Where(e => e.PreviousRevision is not null && e.State is RolloutTargetState.InProgress or RolloutTargetState.Succeeded or RolloutTargetState.Failed)
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .ToList();
        foreach (var wave in _record.Waves.Where(w => !w.Phase.IsTerminal()))
        {
            wave.Phase = RolloutPhase.RolledBack;
            wave.FinishedAt = now;
        }

        var index = _record.Waves.Count;
        _record.Waves.Add(RollbackWave(_strategy, changed.Count));
        foreach (var forward in changed)
        {
            _record.Targets.Add(new RolloutTargetEntry
            {
                Name = forward.Name,
                Wave = index,
                Revision = forward.PreviousRevision!.Value,
                Action = forward.PreviousRevision == 0 ? RolloutAction.Remove : RolloutAction.Update,
            });
        }

        _record.RollingBack = true;
        _record.CurrentWave = index;
        _record.Phase = RolloutPhase.Running;
        _record.Message = $"rolling back: {reason}";
        IndexActiveEntries();
        return true;
    }

    /// <summary>The (target, revision) pairs that undo what this rollout changed.</summary>
    public IReadOnlyList<(string Name, long Revision)> ChangedTargets() =>
        _record.Targets
            .Where(e => e.Wave >= 0 && !_record.Waves[e.Wave].Rollback && e.PreviousRevision is { } previous && previous != e.Revision
                        && e.State is RolloutTargetState.InProgress or RolloutTargetState.Succeeded or RolloutTargetState.Failed)
            .Select(e => (e.Name, e.PreviousRevision!.Value))
            .ToList();

    private static RolloutTargetEntry Entry(CohortMember member, int wave, long toRevision) => new()
    {
        Name = member.Name,
        Wave = wave,
        Action = member.Action,
        Revision = member.Action == RolloutAction.Remove ? 0 : toRevision,
    };

    private static RolloutWave RollbackWave(ResolvedRolloutStrategy strategy, int targets) => new()
    {
        Name = "rollback",
        Rollback = true,
        MaxUnavailable = strategy.MaxUnavailable.Resolve(targets),
        SoakSeconds = strategy.SoakSeconds,
    };

    private void IndexActiveEntries()
    {
        _active.Clear();
        foreach (var entry in _record.Targets)
        {
            var rollbackEntry = entry.Wave >= 0 && _record.Waves[entry.Wave].Rollback;
            if (rollbackEntry == _record.RollingBack && (entry.Wave >= 0 || !_record.RollingBack))
            {
                _active.Add(entry);
            }
        }
    }

    private int FirstActiveWave() => NextActiveWave(-1);

    /// <summary>The next wave of the current direction after <paramref name="wave"/> (or past the end).</summary>
    private int NextActiveWave(int wave)
    {
        for (var i = wave + 1; i < _record.Waves.Count; i++)
        {
            if (_record.Waves[i].Rollback == _record.RollingBack)
            {
                return i;
            }
        }

        return _record.Waves.Count;
    }

    private void SetPhase(RolloutWave wave, RolloutPhase phase, string message)
    {
        wave.Phase = phase;
        _record.Phase = phase;
        _record.Message = message;
    }

    private IReadOnlyList<RolloutTargetEntry> ExpireDeadlines(DateTimeOffset now)
    {
        var deadline = TimeSpan.FromSeconds(_strategy.ProgressDeadlineSeconds);
        var expired = _active.InFlight
            .Where(e => e.ReadyAt is null && e.StartedAt is { } started && now - started >= deadline)
            .ToList();
        foreach (var entry in expired)
        {
            Finish(entry, RolloutTargetState.Failed, $"not ready within the progress deadline of {_strategy.ProgressDeadlineSeconds}s", now);
        }

        return expired;
    }

    private void PromoteSoaked(DateTimeOffset now)
    {
        foreach (var entry in _active.InFlight.Where(e => e.ReadyAt is not null).ToList())
        {
            var soak = entry.Wave >= 0 ? _record.Waves[entry.Wave].SoakSeconds : 0;
            if (now - entry.ReadyAt!.Value >= TimeSpan.FromSeconds(soak))
            {
                Finish(entry, RolloutTargetState.Succeeded, $"ready for {soak}s", now);
            }
        }
    }

    /// <summary>Stops the rollout as soon as failures exceed the budget (once enough targets finished to judge).</summary>
    private void ApplyBudget(DateTimeOffset now)
    {
        if (_record.Phase is not (RolloutPhase.Running or RolloutPhase.WaitingApproval or RolloutPhase.WaitingWindow))
        {
            return;
        }

        var counts = Counts;
        var failed = _active.Unhealthy;
        var finished = counts.Failed + counts.Succeeded;
        if (failed <= MaxFailures || finished < _strategy.MinSample)
        {
            return;
        }

        var first = _active.All.Where(e => e.IsUnhealthy).OrderBy(e => e.FinishedAt).First();
        var reason = $"failure budget exceeded ({counts.Failed} failed, {MaxFailures} allowed): {first.Name}: {first.Message}";
        if (_record.RollingBack)
        {
            // Nothing left to fall back to: an operator has to look.
            _record.Phase = RolloutPhase.Failed;
            _record.Message = $"rollback failed: {reason}";
        }
        else if (_strategy.OnFailure == OnFailure.Rollback)
        {
            BeginRollback(reason, now);
        }
        else
        {
            Pause(reason);
        }
    }

    private void Finish(DateTimeOffset now)
    {
        if (_active[RolloutTargetState.Pending] + _active[RolloutTargetState.InProgress] > 0)
        {
            return;
        }

        _record.Phase = _record.RollingBack ? RolloutPhase.RolledBack : RolloutPhase.Succeeded;
        _record.Message = _record.RollingBack ? _record.Message.Replace("rolling back: ", "rolled back: ", StringComparison.Ordinal) : "";
        foreach (var wave in _record.Waves.Where(w => w.Rollback == _record.RollingBack && !w.Phase.IsTerminal()))
        {
            wave.Phase = RolloutPhase.Succeeded;
            wave.FinishedAt ??= now;
        }
    }

    private void Finish(RolloutTargetEntry entry, RolloutTargetState state, string message, DateTimeOffset now)
    {
        _active.Move(entry, state);
        entry.Message = message;
        entry.FinishedAt = now;
        entry.ReadyAt = null;
    }

    private void SkipPending(string message, DateTimeOffset now)
    {
        foreach (var entry in _active.All.Where(e => e.State == RolloutTargetState.Pending).ToList())
        {
            Finish(entry, RolloutTargetState.Skipped, message, now);
        }
    }
}
