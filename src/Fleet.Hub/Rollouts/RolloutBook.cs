using Fleet.Domain.Rollouts;
using Fleet.Hub.Index;
using Fleet.Hub.Targets;

namespace Fleet.Hub.Rollouts;

/// <summary>
/// The rollout bookkeeping that capabilities and instances share: naming, recording and starting a new rollout,
/// resuming it after a crash, taking note of one that ended, finding what an undo reverts, and taking a deleted
/// one off every target. The two grains differ only in their keys and headlines, which they pass in.
/// </summary>
internal static class RolloutBook
{
    private const int History = 50;

    /// <summary>Records a new rollout named <paramref name="idPrefix"/>-N as the active one; returns its id and the one it supersedes.</summary>
    public static (string RolloutId, string? Superseded) Begin(IRolloutBookkeeping book, string idPrefix, RolloutStart start)
    {
        var superseded = book.ActiveRollout;
        var rolloutId = $"{idPrefix}-{++book.RolloutCounter}";
        book.ActiveRollout = rolloutId;
        book.Rollouts.Add(rolloutId);
        if (book.Rollouts.Count > History)
        {
            book.Rollouts.RemoveRange(0, book.Rollouts.Count - History);
        }

        book.PendingStart = start;
        return (rolloutId, superseded);
    }

    /// <summary>
    /// Records the new rollout as the active one (superseding the old), persists through <paramref name="persist"/>
    /// (the owner's state, then its catalog headline), then starts it: one write holds the rollout and what it delivers.
    /// </summary>
    public static async Task<string> BeginAsync(IGrainFactory grains, IRolloutBookkeeping book, string idPrefix, RolloutStart start, Func<Task> persist)
    {
        var (rolloutId, superseded) = Begin(book, idPrefix, start);
        await persist();
        if (superseded is not null)
        {
            await grains.GetGrain<IRolloutGrain>(superseded).Supersede(rolloutId);
        }

        await grains.GetGrain<IRolloutGrain>(rolloutId).Start(start);
        return rolloutId;
    }

    /// <summary>The revision <c>fleet rollout start</c> delivers: the one asked for, or the latest when 0.</summary>
    public static long RevisionToStart(string owner, IReadOnlyList<long> revisions, long requested)
    {
        var target = requested == 0 ? revisions[^1] : requested;
        return revisions.Contains(target)
            ? target
            : throw new ArgumentException($"{owner} has no revision {requested} (revisions: {string.Join(", ", revisions)})");
    }

    /// <summary>After a crash: starts the active rollout again the way it was started (a running one just goes on).</summary>
    public static Task ResumeActiveAsync(IGrainFactory grains, IRolloutBookkeeping book, RolloutStart whenNotRecorded) =>
        book.ActiveRollout is { } active
            ? grains.GetGrain<IRolloutGrain>(active).Start(book.PendingStart ?? whenNotRecorded)
            : Task.CompletedTask;

    /// <summary>
    /// A deleted capability or instance: its rollout (<paramref name="active"/>, already cleared from the stored book)
    /// ends as superseded with <paramref name="reason"/>, and every target that holds <paramref name="key"/> removes it.
    /// </summary>
    public static async Task StopDeliveringAsync(IGrainFactory grains, string key, string? active, string reason)
    {
        if (active is not null)
        {
            await grains.GetGrain<IRolloutGrain>(active).Supersede(reason);
        }

        var holders = (await TargetIndex.ListAll(grains)).Where(e => e.Capabilities.Contains(key));
        await Task.WhenAll(holders.Select(e => grains.GetGrain<ITargetGrain>(e.Name).Unassign(key, null)));
    }

    /// <summary>Takes note that <paramref name="rolloutId"/> ended; true when the book changed and must be written.</summary>
    public static bool Finished(IRolloutBookkeeping book, string rolloutId, string phase, long stableRevision)
    {
        var changed = false;
        if (stableRevision > 0 && book.StableRevision != stableRevision && (book.ActiveRollout is null || book.ActiveRollout == rolloutId))
        {
            book.StableRevision = stableRevision;
            changed = true;
        }

        if (book.ActiveRollout == rolloutId && Enum.TryParse<RolloutPhase>(phase, out var p) && p.IsTerminal())
        {
            book.ActiveRollout = null;
            changed = true;
        }

        return changed;
    }

    /// <summary>
    /// The start of an undo: the latest forward rollout that changed any target and has not been undone yet.
    /// Rollouts that changed nothing (every target was already there) are passed over, as is anything already undone.
    /// </summary>
    public static async Task<RolloutStart?> FindUndo(IGrainFactory grains, IRolloutBookkeeping book, string key)
    {
        var undone = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in Enumerable.Reverse(book.Rollouts))
        {
            var rollout = grains.GetGrain<IRolloutGrain>(id);
            if (await rollout.Get() is not { } view || undone.Contains(id))
            {
                continue;
            }

            if (view.UndoOf is { } of)
            {
                undone.Add(of);
                continue;
            }

            var changed = await rollout.ChangedTargets();
            if (changed.Count > 0)
            {
                return new RolloutStart(key, view.ToRevision, view.FromRevision, null, changed, id);
            }
        }

        return null;
    }
}
