namespace Fleet.Domain.Targets;

/// <summary>
/// A capability's state on one target (SPEC §5), as its agent reports it or as the hub derives it while
/// the agent has not caught up. Stored by name, so the order here is free.
/// </summary>
public enum TargetCapabilityState
{
    Pending,
    Applying,
    Ready,
    Failed,
    Drifted,
    Removing,
}
