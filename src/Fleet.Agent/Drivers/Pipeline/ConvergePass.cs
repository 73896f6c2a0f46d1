using Fleet.Protocol.Agent.V1;

namespace Fleet.Agent.Drivers.Pipeline;

/// <summary>
/// One converge of one capability as the pipeline walks it: what the hooks read (the desired set, the record) and what
/// they tell pruning (what to keep). A driver derives its own pass for what it works out once per converge.
/// </summary>
internal class ConvergePass<TEntry>(DesiredCapability desired)
    where TEntry : class, IInventoryEntry
{
    public DesiredCapability Desired { get; } = desired;

    public string Key => Desired.Key;

    /// <summary>The capability's record; set by the pipeline once the desired set is known to be appliable.</summary>
    public InventoryRecord<TEntry> Record { get; internal set; } = new();

    /// <summary>
    /// Ids whose entries all stay: held by the readiness gate (what it applied before stays until it may be applied
    /// again), or whatever the driver says (a failed apply keeps the last good one).
    /// </summary>
    public HashSet<string> KeptIds { get; } = new(StringComparer.Ordinal);

    /// <summary>Single entries that stay (what an apply recorded this time).</summary>
    public HashSet<TEntry> KeptEntries { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>How many resources the hooks changed on the target in this pass; for the converge's log line.</summary>
    public int Changed { get; set; }
}
