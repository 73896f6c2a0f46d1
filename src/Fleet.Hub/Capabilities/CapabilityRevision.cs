namespace Fleet.Hub.Capabilities;

/// <summary>One immutable revision: the canonical spec JSON and its hash.</summary>
public sealed class CapabilityRevision
{
    public long Number { get; set; }
    public string SpecJson { get; set; } = "";
    public string Hash { get; set; } = "";
    public string Version { get; set; } = "";
    public DateTimeOffset Created { get; set; }
}
