using Fleet.Domain.Inputs;

namespace Fleet.Domain.Model;

/// <summary>
/// A capability as the operator declared it (SPEC §2). Immutable: a revision stores exactly one of these.
/// Its canonical JSON (<see cref="CapabilitySpecJson"/>) is what revisions are compared and hashed on.
/// </summary>
public sealed record CapabilitySpec
{
    public required string Name { get; init; }
    public string Version { get; init; } = "";

    /// <summary>
    /// The typed inputs of its Instances; null for a capability without inputs, which is delivered once to every target its
    /// placement selects. A capability with inputs is delivered once per Instance instead.
    /// </summary>
    public InputSchema? Inputs { get; init; }

    public PlacementSpec Placement { get; init; } = new();
    public IReadOnlyList<ResourceSpec> Resources { get; init; } = [];
    public RolloutStrategySpec Rollout { get; init; } = new();

    /// <summary>The capability's own policy (<c>spec.validations</c>), checked at apply and at every render.</summary>
    public IReadOnlyList<ValidationSpec> Validations { get; init; } = [];

    /// <summary>Whether it is delivered per Instance (it declares inputs) rather than once to every placed target.</summary>
    public bool HasInputs => Inputs is not null;
}
