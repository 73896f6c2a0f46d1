namespace Fleet.Agent.Drivers.Exec;

/// <summary>The on-disk shape of the exec inventory; versioned so a later agent can migrate it.</summary>
internal sealed class ExecInventoryDocument
{
    public const int CurrentVersion = 1;

    public int Version { get; set; } = CurrentVersion;

    public Dictionary<string, ExecCapabilityRecord> Capabilities { get; set; } = new(StringComparer.Ordinal);
}
