namespace Fleet.Hub.Index;

/// <summary>
/// Persisted so cohorts can be chosen right after a restart, before agents reconnect. A shard holds many targets
/// and is written whole, so changes arriving while a write is in flight are gathered into the next write (group
/// commit): N targets connecting at once cost a few writes of the shard, not N. Every caller still returns only
/// once a write that contains its change has completed.
/// </summary>
internal sealed class TargetIndexShardGrain(
    [PersistentState("index", "fleet")] IPersistentState<TargetIndexShardState> state) : Grain, ITargetIndexShardGrain
{
    private Task? _writing;
    private bool _dirty;

    public Task Upsert(TargetIndexEntry entry)
    {
        if (state.State.Entries.TryGetValue(entry.Name, out var existing) && existing.SameAs(entry))
        {
            // Unchanged, but possibly not yet written: wait for the write in flight, if any.
            return _writing ?? Task.CompletedTask;
        }

        state.State.Entries[entry.Name] = entry;
        _dirty = true;
        return _writing ??= WriteWhileDirty();
    }

    public Task<List<TargetIndexEntry>> List() => Task.FromResult(state.State.Entries.Values.ToList());

    /// <summary>One write at a time; a change made during a write is in the next one, which the same task waits for.</summary>
    private async Task WriteWhileDirty()
    {
        try
        {
            // Let the calls already queued behind this one add their changes first.
            await Task.Yield();
            while (_dirty)
            {
                _dirty = false;
                await state.WriteStateAsync();
            }
        }
        finally
        {
            _writing = null;
        }
    }
}
