namespace Fleet.Hub.Targets;

/// <summary>Persisted state of a target (JSON in grain storage: plain settable properties, no type names).</summary>
public sealed class TargetGrainState
{
    public Dictionary<string, string> Labels { get; set; } = [];
    public Dictionary<string, string> Facts { get; set; } = [];
    public string Driver { get; set; } = "";
    public DateTimeOffset? FirstSeen { get; set; }
    public DateTimeOffset? LastSeen { get; set; }
    public Dictionary<string, TargetAssignment> Assignments { get; set; } = [];
    public Dictionary<string, ReportedCapability> Reports { get; set; } = [];
}
