using Fleet.Domain.Rollouts;

namespace Fleet.Hub.Rollouts;

/// <summary>
/// The rollout bookkeeping that capabilities and instances share: naming and recording a new rollout,
/// taking note of one that ended, and finding what an undo reverts.
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
