namespace Fleet.Domain.Rollouts;

/// <summary>
/// The rollout state machine, free of storage and messaging: it decides which targets may start,
/// records each target's outcome exactly once, expires deadlines and derives the phase. The grain
/// persists <see cref="Targets"/> and <see cref="Phase"/> after every call and only then acts.
/// </summary>
public sealed class RolloutProgress
{
    private readonly ResolvedRolloutStrategy _strategy;
    private readonly List<RolloutTargetEntry> _targets;
    private readonly Dictionary<string, RolloutTargetEntry> _byName;

    public RolloutProgress(ResolvedRolloutStrategy strategy, List<RolloutTargetEntry> targets, RolloutPhase phase, string message = "")
    {
        _strategy = strategy;
        _targets = targets;
        _byName = targets.ToDictionary(t => t.Name, StringComparer.Ordinal);
        Phase = phase;
        Message = message;
    }

    public RolloutPhase Phase { get; private set; }

    public string Message { get; private set; }

    public IReadOnlyList<RolloutTargetEntry> Targets => _targets;

    /// <summary>Targets updating or unhealthy at once, at most (count or percentage of the cohort, at least 1).</summary>
    public int MaxUnavailable => _strategy.MaxUnavailable.Resolve(_targets.Count);

    /// <summary>Failures tolerated before the rollout stops (percentages round down; may be 0).</summary>
    public int MaxFailures => _strategy.MaxFailures.IsPercent
        ? _targets.Count * _strategy.MaxFailures.Value / 100
        : _strategy.MaxFailures.Value;

    public RolloutCounts Counts => new(
        _targets.Count,
        Count(RolloutTargetState.Succeeded),
        Count(RolloutTargetState.Failed),
        Count(RolloutTargetState.InProgress),
        Count(RolloutTargetState.Pending),
        Count(RolloutTargetState.Skipped));

    public RolloutTargetEntry? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Moves a Pending rollout to Running (or straight to Succeeded when there is nothing to do).</summary>
    public void Start()
    {
        if (Phase == RolloutPhase.Pending)
        {
            Phase = RolloutPhase.Running;
            Message = "";
            Evaluate();
        }
    }

    /// <summary>
    /// Picks the targets that may start now without exceeding <see cref="MaxUnavailable"/> and marks
    /// them InProgress. Empty unless the rollout is Running.
    /// </summary>
    public IReadOnlyList<RolloutTargetEntry> StartNextBatch(DateTimeOffset now)
    {
        if (Phase != RolloutPhase.Running)
        {
            return [];
        }

        // Failed targets stay unhealthy: they keep their slot so a budget above zero cannot
        // let more than maxUnavailable targets be broken at once.
        var unavailable = Count(RolloutTargetState.InProgress) + Count(RolloutTargetState.Failed);
        var free = MaxUnavailable - unavailable;
        if (free <= 0)
        {
            return [];
        }

        var batch = _targets.Where(t => t.State == RolloutTargetState.Pending).Take(free).ToList();
        foreach (var entry in batch)
        {
            entry.State = RolloutTargetState.InProgress;
            entry.StartedAt = now;
            entry.Message = "";
        }

        return batch;
    }

    /// <summary>
    /// Records a target's outcome. Returns false, changing nothing, unless that target is InProgress:
    /// a duplicate or late report is never counted twice.
    /// </summary>
    public bool Complete(string name, bool succeeded, string message, DateTimeOffset now)
    {
        if (!_byName.TryGetValue(name, out var entry) || entry.State != RolloutTargetState.InProgress)
        {
            return false;
        }

        entry.State = succeeded ? RolloutTargetState.Succeeded : RolloutTargetState.Failed;
        entry.Message = message;
        entry.FinishedAt = now;
        Evaluate();
        return true;
    }

    /// <summary>Fails every InProgress target whose progress deadline has passed; returns them.</summary>
    public IReadOnlyList<RolloutTargetEntry> ExpireDeadlines(DateTimeOffset now)
    {
        var deadline = TimeSpan.FromSeconds(_strategy.ProgressDeadlineSeconds);
        var expired = _targets
            .Where(t => t.State == RolloutTargetState.InProgress && t.StartedAt is { } started && now - started >= deadline)
            .ToList();
        foreach (var entry in expired)
        {
            entry.State = RolloutTargetState.Failed;
            entry.Message = $"not ready within the progress deadline of {_strategy.ProgressDeadlineSeconds}s";
            entry.FinishedAt = now;
        }

        if (expired.Count > 0)
        {
            Evaluate();
        }

        return expired;
    }

    /// <summary>The earliest moment a deadline can expire, for the grain's next wake-up.</summary>
    public DateTimeOffset? NextDeadline() =>
        _targets.Where(t => t.State == RolloutTargetState.InProgress && t.StartedAt is not null)
            .Select(t => t.StartedAt!.Value + TimeSpan.FromSeconds(_strategy.ProgressDeadlineSeconds))
            .DefaultIfEmpty()
            .Min() is { } min && min != default ? min : null;

    /// <summary>A later rollout took over; nothing more starts here.</summary>
    public void Supersede(string byRollout)
    {
        if (!Phase.IsTerminal())
        {
            Phase = RolloutPhase.Superseded;
            Message = $"superseded by rollout {byRollout}";
        }
    }

    private void Evaluate()
    {
        if (Phase != RolloutPhase.Running)
        {
            return;
        }

        var failed = Count(RolloutTargetState.Failed);
        var finished = failed + Count(RolloutTargetState.Succeeded);
        if (failed > MaxFailures && finished >= _strategy.MinSample)
        {
            var first = _targets.First(t => t.State == RolloutTargetState.Failed);
            Phase = RolloutPhase.Paused;
            Message = $"failure budget exceeded ({failed} failed, {MaxFailures} allowed): {first.Name}: {first.Message}";
            return;
        }

        if (_targets.All(t => t.State is RolloutTargetState.Succeeded or RolloutTargetState.Skipped))
        {
            Phase = RolloutPhase.Succeeded;
            Message = "";
        }
    }

    private int Count(RolloutTargetState state) => _targets.Count(t => t.State == state);
}
