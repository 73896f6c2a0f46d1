using Fleet.Hub.Rollouts;

namespace Fleet.Hub.Capabilities;

public sealed class CapabilityGrainState : IRolloutBookkeeping
{
    public List<CapabilityRevision> Revisions { get; set; } = [];

    /// <summary>
    /// The revision the last successful rollout delivered; what joining targets receive. 0: none yet. For a
    /// capability that takes inputs, the latest revision: its instances roll it out, each on its own.
    /// </summary>
    public long StableRevision { get; set; }

    public string? ActiveRollout { get; set; }

    /// <summary>How the active rollout was started, so recovery after a crash starts it the same way.</summary>
    public RolloutStart? PendingStart { get; set; }
    public int RolloutCounter { get; set; }
    public List<string> Rollouts { get; set; } = [];
    public bool Deleted { get; set; }
    public DateTimeOffset Created { get; set; }

    /// <summary>The Instances of this capability (names), which receive each new revision.</summary>
    public List<string> Instances { get; set; } = [];
}
