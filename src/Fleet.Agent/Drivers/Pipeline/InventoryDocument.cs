namespace Fleet.Agent.Drivers.Pipeline;

/// <summary>The on-disk shape of a driver's inventory; versioned so a later agent can migrate it.</summary>
internal sealed class InventoryDocument<TEntry>
    where TEntry : class, IInventoryEntry
{
    public const int CurrentVersion = 1;

    public int Version { get; set; } = CurrentVersion;

    public Dictionary<string, InventoryRecord<TEntry>> Capabilities { get; set; } = new(StringComparer.Ordinal);
}
