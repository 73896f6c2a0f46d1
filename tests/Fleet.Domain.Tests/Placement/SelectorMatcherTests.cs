using Fleet.Domain.Model;
using Fleet.Domain.Placement;

namespace Fleet.Domain.Tests.Placement;

public sealed class SelectorMatcherTests
{
    private static IReadOnlyDictionary<string, string> Labels(string text) =>
        text.Length == 0 ? new Dictionary<string, string>() : text.Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);

    private static LabelSelector Requirement(string key, SelectorOperator op, params string[] values) =>
        new() { MatchExpressions = [new LabelSelectorRequirement(key, op, values)] };

    public static TheoryData<SelectorOperator, string[], string, bool> Operators => new()
    {
        // operator, values, target labels, matches
        { SelectorOperator.In, ["eu", "us"], "region=eu", true },
        { SelectorOperator.In, ["eu", "us"], "region=asia", false },
        { SelectorOperator.In, ["eu", "us"], "", false },
        { SelectorOperator.NotIn, ["eu"], "region=us", true },
        { SelectorOperator.NotIn, ["eu"], "region=eu", false },
        { SelectorOperator.NotIn, ["eu"], "", true },          // Kubernetes: NotIn matches a missing key
        { SelectorOperator.Exists, [], "region=", true },
        { SelectorOperator.Exists, [], "env=dev", false },
        { SelectorOperator.DoesNotExist, [], "env=dev", true },
        { SelectorOperator.DoesNotExist, [], "region=eu", false },
    };

    [Theory]
    [MemberData(nameof(Operators))]
    public void Explain_Operator_AgreesWithMatches(SelectorOperator op, string[] values, string labels, bool expected)
    {
        var selector = Requirement("region", op, values);
        Assert.Equal(expected, selector.Matches(Labels(labels)));
        Assert.Equal(expected, SelectorMatcher.Explain(selector, Labels(labels)).Placed);
    }

    public static TheoryData<SelectorOperator, string[], string, string> Reasons => new()
    {
        { SelectorOperator.In, ["eu", "us"], "region=asia", "label region=asia does not match selector {region In [eu, us]} (selector wants region In [eu, us])" },
        { SelectorOperator.In, ["eu", "us"], "", "label region is missing (selector wants region In [eu, us])" },
        { SelectorOperator.NotIn, ["eu"], "region=eu", "label region=eu does not match selector {region NotIn [eu]} (selector wants region NotIn [eu])" },
        { SelectorOperator.Exists, [], "", "label region is missing (selector wants region Exists)" },
        { SelectorOperator.DoesNotExist, [], "region=eu", "label region=eu does not match selector {region DoesNotExist} (selector wants region DoesNotExist)" },
    };

    [Theory]
    [MemberData(nameof(Reasons))]
    public void Explain_NoMatch_NamesTheLabel(SelectorOperator op, string[] values, string labels, string reason) =>
        Assert.Equal(reason, SelectorMatcher.Explain(Requirement("region", op, values), Labels(labels)).Reason);

    [Theory]
    [InlineData("env=dev,region=eu", true, "labels match selector {env=dev, region In [eu, us]}")]
    [InlineData("env=prod,region=eu", false, "label env=prod does not match selector {env=dev, region In [eu, us]}")]
    [InlineData("region=eu", false, "label env is missing (selector wants env=dev)")]
    [InlineData("env=dev", false, "label region is missing (selector wants region In [eu, us])")]
    public void Explain_LabelsAndExpressions_AllMustHold(string labels, bool placed, string reason)
    {
        var selector = new LabelSelector
        {
            MatchLabels = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["env"] = "dev" },
            MatchExpressions = [new LabelSelectorRequirement("region", SelectorOperator.In, ["eu", "us"])],
        };
        Assert.Equal(new PlacementDecision(placed, reason), SelectorMatcher.Explain(selector, Labels(labels)));
        Assert.Equal(placed, selector.Matches(Labels(labels)));
    }

    [Fact]
    public void Explain_EmptySelector_MatchesEverything() =>
        Assert.Equal(new PlacementDecision(true, "labels match selector {}"), SelectorMatcher.Explain(LabelSelector.Everything, Labels("")));
}
