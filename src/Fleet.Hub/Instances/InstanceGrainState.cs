using Fleet.Hub.Rollouts;

namespace Fleet.Hub.Instances;

public sealed class InstanceGrainState : IRolloutBookkeeping
{
    public string Capability { get; set; } = "";

    /// <summary>The inputs as the operator wrote them (canonical JSON, before defaults), re-resolved for each capability revision.</summary>
    public string GivenInputsJson { get; set; } = "{}";
    public List<InstanceRevision> Revisions { get; set; } = [];
    public long StableRevision { get; set; }
    public string? ActiveRollout { get; set; }
    public RolloutStart? PendingStart { get; set; }
    public int RolloutCounter { get; set; }
    public List<string> Rollouts { get; set; } = [];
    public bool Deleted { get; set; }
    public DateTimeOffset Created { get; set; }
}
