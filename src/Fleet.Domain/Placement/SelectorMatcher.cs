using Fleet.Domain.Model;

namespace Fleet.Domain.Placement;

/// <summary>
/// Matches a selector like <see cref="LabelSelector.Matches"/> and also says why, naming the first
/// label that decides it, because "not placed" without a reason is what operators cannot act on.
/// </summary>
public static class SelectorMatcher
{
    public static PlacementDecision Explain(LabelSelector selector, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(selector);
        ArgumentNullException.ThrowIfNull(labels);
        var text = LabelSelectorFormatter.Format(selector);
        foreach (var (key, wanted) in selector.MatchLabels.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!labels.TryGetValue(key, out var actual))
            {
                return new PlacementDecision(false, $"label {key} is missing (selector wants {key}={wanted})");
            }

            if (actual != wanted)
            {
                return new PlacementDecision(false, $"label {key}={actual} does not match selector {text}");
            }
        }

        foreach (var requirement in selector.MatchExpressions)
        {
            if (requirement.Matches(labels))
            {
                continue;
            }

            var wants = LabelSelectorFormatter.Format(requirement);
            return labels.TryGetValue(requirement.Key, out var actual)
                ? new PlacementDecision(false, $"label {requirement.Key}={actual} does not match selector {text} (selector wants {wants})")
                : new PlacementDecision(false, $"label {requirement.Key} is missing (selector wants {wants})");
        }

        return new PlacementDecision(true, $"labels match selector {text}");
    }
}
