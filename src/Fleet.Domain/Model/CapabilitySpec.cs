namespace Fleet.Domain.Model;

/// <summary>
/// A capability as the operator declared it (SPEC §2). Immutable: a revision stores exactly one of these.
/// Its canonical JSON (<see cref="CapabilitySpecJson"/>) is what revisions are compared and hashed on.
/// </summary>
public sealed record CapabilitySpec
{
    public required string Name { get; init; }
    public string Version { get; init; } = "";
    public PlacementSpec Placement { get; init; } = new();
    public IReadOnlyList<ResourceSpec> Resources { get; init; } = [];
    public RolloutStrategySpec Rollout { get; init; } = new();
}
