namespace Fleet.Hub.Tests.Storage;

/// <summary>A grain state shaped like the hub's: settable properties, collections, an enum, a nested record.</summary>
internal sealed class ProbeState
{
    public string Name { get; set; } = "";
    public int Count { get; set; }
    public ProbeStatus Status { get; set; }
    public Dictionary<string, string> Labels { get; set; } = [];
    public List<ProbeStep> Steps { get; set; } = [];
    public DateTimeOffset? Seen { get; set; }
}
