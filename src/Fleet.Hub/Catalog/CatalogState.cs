namespace Fleet.Hub.Catalog;

public sealed class CatalogState
{
    public Dictionary<string, CatalogEntry> Capabilities { get; set; } = [];
}
