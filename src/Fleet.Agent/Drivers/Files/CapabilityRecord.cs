namespace Fleet.Agent.Drivers.Files;

/// <summary>What the driver owns for one capability key, as persisted in the inventory.</summary>
internal sealed class CapabilityRecord
{
    /// <summary>Revision of the last converge; lets a removal report say what it removed.</summary>
    public long Revision { get; set; }

    /// <summary>Desired hash of the last converge.</summary>
    public string Hash { get; set; } = "";

    /// <summary>Owned files in dependency order (removal walks it backwards); paths are unique.</summary>
    public List<OwnedFile> Files { get; set; } = [];
}
