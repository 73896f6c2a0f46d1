namespace Fleet.Domain.Model;

/// <summary>Which targets receive a capability: a label selector and an optional <c>when</c> expression.</summary>
public sealed record PlacementSpec
{
    public LabelSelector Selector { get; init; } = LabelSelector.Everything;

    /// <summary>The raw <c>${...}</c> template of the optional <c>when</c> condition over <c>target.*</c>; null when absent.</summary>
    public string? When { get; init; }
}
