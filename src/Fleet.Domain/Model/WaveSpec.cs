namespace Fleet.Domain.Model;

/// <summary>
/// One wave of a staged rollout. A target belongs to the first wave whose selector matches it; a wave
/// without a selector takes every target not taken by an earlier wave.
/// </summary>
public sealed record WaveSpec
{
    public required string Name { get; init; }
    public LabelSelector? Selector { get; init; }
    public IntOrPercent? MaxUnavailable { get; init; }
    public int? SoakSeconds { get; init; }

    /// <summary>The wave waits for <c>fleet rollout approve</c> before it starts.</summary>
    public bool Approval { get; init; }

    public bool Equals(WaveSpec? other) =>
        other is not null && Name == other.Name && Equals(Selector, other.Selector) && MaxUnavailable == other.MaxUnavailable
        && SoakSeconds == other.SoakSeconds && Approval == other.Approval;

    public override int GetHashCode() => HashCode.Combine(Name, MaxUnavailable, SoakSeconds, Approval);
}
