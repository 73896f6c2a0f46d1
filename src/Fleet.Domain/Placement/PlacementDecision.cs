namespace Fleet.Domain.Placement;

/// <summary>Whether a capability is placed on a target, and a sentence saying why (shown by <c>fleet describe</c>).</summary>
public sealed record PlacementDecision(bool Placed, string Reason)
{
    /// <summary>Not placed because the placement <c>when</c> failed (an error, not false): a fault of the capability, not a choice.</summary>
    public bool WhenFailed { get; init; }
}
