namespace Fleet.Hub.Catalog;

internal sealed class CatalogGrain(
    [PersistentState("catalog", "fleet")] IPersistentState<CatalogState> state) : Grain, ICatalogGrain
{
    public async Task Upsert(CatalogEntry entry)
    {
        state.State.Capabilities[entry.Name] = entry;
        await state.WriteStateAsync();
    }

    public async Task Remove(string name)
    {
        if (state.State.Capabilities.Remove(name))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<List<CatalogEntry>> List() =>
        Task.FromResult(state.State.Capabilities.Values.OrderBy(c => c.Name, StringComparer.Ordinal).ToList());
}
