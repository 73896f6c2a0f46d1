namespace Fleet.Hub.Catalog;

/// <summary>
/// A capability's headline, kept in the catalog so joining targets and listings need one call. Instances
/// have entries too, named by their delivery key "capability/instance" (<see cref="Rollouts.DeliveryKeys"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("Fleet.Hub.Catalog.CatalogEntry")]
public sealed record CatalogEntry
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public string Version { get; init; } = "";
    [Id(2)] public long LatestRevision { get; init; }
    [Id(3)] public long StableRevision { get; init; }
    [Id(4)] public string? ActiveRollout { get; init; }
    [Id(5)] public List<string> Rollouts { get; init; } = [];

    /// <summary>A capability with inputs: targets receive its instances (their own entries), never the capability itself.</summary>
    [Id(6)] public bool TakesInputs { get; init; }
}
