using Fleet.Domain.Model;

namespace Fleet.Domain.Tests.Serialization;

/// <summary>Capability specs that exercise every field, for the serialization and rendering tests.</summary>
internal static class Specs
{
    public static CapabilitySpec Full() => new()
    {
        Name = "motd",
        Version = "1.1.0",
        Placement = new PlacementSpec
        {
            Selector = new LabelSelector
            {
                MatchLabels = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["env"] = "dev", ["app.kubernetes.io/name"] = "x" },
                MatchExpressions =
                [
                    new LabelSelectorRequirement("region", SelectorOperator.In, ["eu", "us"]),
                    new LabelSelectorRequirement("legacy", SelectorOperator.DoesNotExist, []),
                ],
            },
            When = "${target.labels.tier != \"legacy\"}",
        },
        Resources =
        [
            new ResourceSpec { Id = "motd", File = new FileSpec { Path = "etc/motd", Content = "Hello from ${target.name}\n\"quoted\" \\ tab\t é 🚀", Mode = "0644" } },
            new ResourceSpec { Id = "plain", File = new FileSpec { Path = "etc/plain" } },
        ],
        Rollout = new RolloutStrategySpec { Trigger = RolloutTrigger.Manual, MaxUnavailable = new IntOrPercent(25, true), ProgressDeadlineSeconds = 600 },
    };

    public static CapabilitySpec Minimal() => new()
    {
        Name = "min",
        Resources = [new ResourceSpec { Id = "a", File = new FileSpec { Path = "a" } }],
    };
}
