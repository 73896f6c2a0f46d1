using Fleet.Domain.Model;

namespace Fleet.Domain.Placement;

/// <summary>Selectors as people read them in reasons and listings: <c>{env=dev, region In [eu, us]}</c>.</summary>
public static class LabelSelectorFormatter
{
    public static string Format(LabelSelector selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var parts = selector.MatchLabels
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => $"{kv.Key}={kv.Value}")
            .Concat(selector.MatchExpressions.Select(Format));
        return "{" + string.Join(", ", parts) + "}";
    }

    public static string Format(LabelSelectorRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(requirement);
        return requirement.Operator is SelectorOperator.In or SelectorOperator.NotIn
            ? $"{requirement.Key} {requirement.Operator} [{string.Join(", ", requirement.Values)}]"
            : $"{requirement.Key} {requirement.Operator}";
    }
}
