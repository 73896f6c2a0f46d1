using Fleet.Domain.Placement;
using Fleet.Domain.Rollouts;

namespace Fleet.Domain.Tests.Rollouts;

public sealed class CohortRuleTests
{
    private static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string> { ["ring"] = "canary" };

    [Theory]
    [InlineData(true, true, RolloutAction.Update)]
    [InlineData(true, false, RolloutAction.Update)]
    [InlineData(false, true, RolloutAction.Remove)]
    public void MemberFor_PlacedOrRunning_IsInTheCohortWithItsAction(bool placed, bool runs, RolloutAction expected)
    {
        var member = CohortRule.MemberFor("t1", Labels, placed, runs);

        Assert.NotNull(member);
        Assert.Equal(expected, member.Action);
        Assert.Equal("t1", member.Name);
        Assert.Same(Labels, member.Labels);
    }

    [Fact]
    public void MemberFor_NeitherPlacedNorRunning_IsNotInTheCohort()
    {
        Assert.Null(CohortRule.MemberFor("t1", Labels, placed: false, runsCapability: false));
    }

    [Fact]
    public void Preview_UsesTheCohortRule_UpdateRemoveAndExcluded()
    {
        var candidates = new[]
        {
            new PlanCandidate("placed", Labels, new PlacementDecision(true, "selector matches"), 1, Connected: true),
            new PlanCandidate("gone", Labels, new PlacementDecision(false, "selector does not match"), 1, Connected: true),
            new PlanCandidate("never", Labels, new PlacementDecision(false, "selector does not match"), 0, Connected: true),
        };

        var preview = RolloutPlanner.Preview(ResolvedRolloutStrategy.Default, candidates, toRevision: 2);

        var planned = Assert.Single(preview.Waves).Targets.ToDictionary(t => t.Name);
        Assert.Equal(RolloutAction.Update, planned["placed"].Action);
        Assert.Equal(RolloutAction.Remove, planned["gone"].Action);
        Assert.Equal("never", Assert.Single(preview.Excluded).Name);
    }
}
