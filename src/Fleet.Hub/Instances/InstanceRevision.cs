namespace Fleet.Hub.Instances;

/// <summary>
/// One immutable revision of an instance: a capability revision and the inputs resolved against that
/// revision's schema (defaults applied). A new one is made when either changes.
/// </summary>
public sealed class InstanceRevision
{
    public long Number { get; set; }
    public long CapabilityRevision { get; set; }

    /// <summary>Canonical JSON of the resolved inputs.</summary>
    public string InputsJson { get; set; } = "{}";
    public string Hash { get; set; } = "";
    public DateTimeOffset Created { get; set; }
}
