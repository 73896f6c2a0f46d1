namespace Fleet.Hub.Tests.Storage;

/// <summary><see cref="ProbeState"/> after its class was renamed (and a property dropped).</summary>
internal sealed class RenamedProbeState
{
    public string Name { get; set; } = "";
    public int Count { get; set; }
    public ProbeStatus Status { get; set; }
    public Dictionary<string, string> Labels { get; set; } = [];
    public List<ProbeStep> Steps { get; set; } = [];
}
