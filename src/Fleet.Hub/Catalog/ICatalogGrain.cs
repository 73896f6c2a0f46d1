namespace Fleet.Hub.Catalog;

/// <summary>The list of capabilities (key 0). Capabilities are few; targets are many and live in the sharded index.</summary>
[Alias("Fleet.Hub.Catalog.ICatalogGrain")]
public interface ICatalogGrain : IGrainWithIntegerKey
{
    [Alias("Upsert")]
    Task Upsert(CatalogEntry entry);

    [Alias("Remove")]
    Task Remove(string name);

    [Alias("List"), ReadOnly]
    Task<List<CatalogEntry>> List();
}
