namespace Fleet.Domain.Placement;

/// <summary>Whether a capability is placed on a target, and a sentence saying why (shown by <c>fleet describe</c>).</summary>
public sealed record PlacementDecision(bool Placed, string Reason);
