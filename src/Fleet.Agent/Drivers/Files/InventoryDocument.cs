namespace Fleet.Agent.Drivers.Files;

/// <summary>The on-disk shape of the inventory; versioned so a later agent can migrate it.</summary>
internal sealed class InventoryDocument
{
    public const int CurrentVersion = 1;

    public int Version { get; set; } = CurrentVersion;

    public Dictionary<string, CapabilityRecord> Capabilities { get; set; } = new(StringComparer.Ordinal);
}
