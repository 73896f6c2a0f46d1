namespace Fleet.Domain.Model;

/// <summary>Kubernetes label-selector semantics: every <c>matchLabels</c> pair and every requirement must hold.</summary>
public sealed record LabelSelector
{
    public static readonly LabelSelector Everything = new();

    public IReadOnlyDictionary<string, string> MatchLabels { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
    public IReadOnlyList<LabelSelectorRequirement> MatchExpressions { get; init; } = [];

    public bool IsEmpty => MatchLabels.Count == 0 && MatchExpressions.Count == 0;

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (key, value) in MatchLabels)
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        return MatchExpressions.All(r => r.Matches(labels));
    }

    // Records compare collections by reference; selectors are compared by content.
    public bool Equals(LabelSelector? other) =>
        other is not null
        && MatchLabels.Count == other.MatchLabels.Count
        && MatchLabels.All(kv => other.MatchLabels.TryGetValue(kv.Key, out var v) && v == kv.Value)
        && MatchExpressions.Count == other.MatchExpressions.Count
        && MatchExpressions.Zip(other.MatchExpressions).All(p =>
            p.First.Key == p.Second.Key && p.First.Operator == p.Second.Operator && p.First.Values.SequenceEqual(p.Second.Values));

    public override int GetHashCode() => HashCode.Combine(MatchLabels.Count, MatchExpressions.Count);
}
