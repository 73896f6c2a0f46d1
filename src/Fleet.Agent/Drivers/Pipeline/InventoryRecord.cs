namespace Fleet.Agent.Drivers.Pipeline;

/// <summary>What a driver owns for one capability key, as persisted in its inventory.</summary>
internal sealed class InventoryRecord<TEntry>
    where TEntry : class, IInventoryEntry
{
    /// <summary>Revision of the last converge; lets a removal report say what it removed.</summary>
    public long Revision { get; set; }

    /// <summary>Desired hash of the last converge.</summary>
    public string Hash { get; set; } = "";

    /// <summary>
    /// What was applied, in dependency order (removal walks it backwards). On disk under the driver's own name for the
    /// list (<c>files</c>, <c>resources</c>, <c>objects</c>), as inventories have always been written.
    /// </summary>
    public List<TEntry> Entries { get; set; } = [];
}
