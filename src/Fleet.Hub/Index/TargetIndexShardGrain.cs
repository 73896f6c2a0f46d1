namespace Fleet.Hub.Index;

/// <summary>Persisted so cohorts can be chosen right after a restart, before agents reconnect.</summary>
internal sealed class TargetIndexShardGrain(
    [PersistentState("index", "fleet")] IPersistentState<TargetIndexShardState> state) : Grain, ITargetIndexShardGrain
{
    public async Task Upsert(TargetIndexEntry entry)
    {
        if (state.State.Entries.TryGetValue(entry.Name, out var existing) && existing.SameAs(entry))
        {
            return;
        }

        state.State.Entries[entry.Name] = entry;
        await state.WriteStateAsync();
    }

    public Task<List<TargetIndexEntry>> List() => Task.FromResult(state.State.Entries.Values.ToList());
}
