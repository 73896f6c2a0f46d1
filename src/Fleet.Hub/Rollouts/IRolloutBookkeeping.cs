namespace Fleet.Hub.Rollouts;

/// <summary>The part of a capability's or an instance's state that records its rollouts.</summary>
public interface IRolloutBookkeeping
{
    /// <summary>The revision the last successful rollout delivered; what joining targets receive. 0: none yet.</summary>
    long StableRevision { get; set; }

    string? ActiveRollout { get; set; }

    /// <summary>How the active rollout was started, so recovery after a crash starts it the same way.</summary>
    RolloutStart? PendingStart { get; set; }

    int RolloutCounter { get; set; }

    List<string> Rollouts { get; set; }
}
