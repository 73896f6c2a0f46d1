using Fleet.Domain.Targets;

namespace Fleet.Domain.Tests.Targets;

public sealed class TargetCapabilityRulesTests
{
    private static readonly Assignment Revision2 = new(2, Removing: false, RolloutId: "motd-2", PreviousRevision: 1);

    [Fact]
    public void Describe_BeingRemoved_IsRemovingWithWhatLastRan()
    {
        var status = TargetCapabilityRules.Describe(Revision2 with { Removing = true }, new LastReport(2, TargetCapabilityState.Ready, "ok", "h"), "h", connected: true);

        Assert.Equal(new CapabilityStatus(2, TargetCapabilityState.Removing, "ok", 0), status);
    }

    [Fact]
    public void Describe_ReportedButNoLongerAssigned_IsRemoving()
    {
        var status = TargetCapabilityRules.Describe(null, new LastReport(1, TargetCapabilityState.Ready, "", "h"), null, connected: true);

        Assert.Equal(TargetCapabilityState.Removing, status.State);
        Assert.Equal(1, status.Revision);
    }

    [Theory]
    [InlineData(true, "")]
    [InlineData(false, "target not connected")]
    public void Describe_NotReportedYet_IsPending(bool connected, string message)
    {
        var status = TargetCapabilityRules.Describe(Revision2, null, null, connected);

        Assert.Equal(new CapabilityStatus(2, TargetCapabilityState.Pending, message, 2), status);
    }

    [Fact]
    public void Describe_ReportOfTheSentRender_IsWhatTheAgentSays()
    {
        var status = TargetCapabilityRules.Describe(Revision2, new LastReport(2, TargetCapabilityState.Failed, "disk full", "h2"), "h2", connected: true);

        Assert.Equal(new CapabilityStatus(2, TargetCapabilityState.Failed, "disk full", 2), status);
    }

    [Fact]
    public void Describe_ReportOfAnEarlierRenderOfTheRevision_IsApplyingUntilTheAgentCatchesUp()
    {
        var status = TargetCapabilityRules.Describe(Revision2, new LastReport(2, TargetCapabilityState.Ready, "", "old"), "new", connected: true);

        Assert.Equal(TargetCapabilityState.Applying, status.State);
        Assert.Equal("updating to the current render of revision 2 (reported Ready for an earlier one)", status.Message);
    }

    [Fact]
    public void Describe_RenderUnknownToThisActivation_TrustsTheReportOfTheRevision()
    {
        var status = TargetCapabilityRules.Describe(Revision2, new LastReport(2, TargetCapabilityState.Ready, "", "h"), sentHash: null, connected: true);

        Assert.Equal(TargetCapabilityState.Ready, status.State);
    }

    [Theory]
    [InlineData(true, TargetCapabilityState.Applying, "updating to revision 2")]
    [InlineData(false, TargetCapabilityState.Pending, "target not connected")]
    public void Describe_StillOnAnOlderRevision_IsOnItsWay(bool connected, TargetCapabilityState state, string message)
    {
        var status = TargetCapabilityRules.Describe(Revision2, new LastReport(1, TargetCapabilityState.Ready, "", "h1"), "h2", connected);

        Assert.Equal(new CapabilityStatus(1, state, message, 2), status);
    }

    [Fact]
    public void PreviousRevision_IsWhatRanBeforeTheRollout_AndStaysSoWhenTheSameRolloutAsksAgain()
    {
        Assert.Equal(0, TargetCapabilityRules.PreviousRevision(null, "motd-3"));
        Assert.Equal(2, TargetCapabilityRules.PreviousRevision(Revision2, "motd-3"));
        // After a restart the same rollout asks again, its own revision 2 is assigned by now: the first answer stands.
        Assert.Equal(1, TargetCapabilityRules.PreviousRevision(Revision2, "motd-2"));
        Assert.Equal(0, TargetCapabilityRules.PreviousRevision(Revision2 with { Removing = true }, "motd-3"));
        Assert.Equal(2, TargetCapabilityRules.PreviousRevision(Revision2, rolloutId: null));
    }

    [Theory]
    [InlineData(true, false, false, true, JoinAction.OfferToRollout)]
    [InlineData(false, false, false, true, JoinAction.OfferToRollout)]
    [InlineData(true, false, false, false, JoinAction.PlaceStable)]
    [InlineData(false, false, false, false, JoinAction.None)]
    [InlineData(true, true, false, false, JoinAction.None)]
    [InlineData(false, true, false, false, JoinAction.Remove)]
    [InlineData(false, true, false, true, JoinAction.None)]
    [InlineData(false, true, true, false, JoinAction.None)]
    public void OnJoin_DecidesByPlacementWhatTheTargetHoldsAndAnyRunningRollout(bool placed, bool holds, bool removing, bool rolloutRunning, JoinAction expected)
    {
        var assigned = holds ? Revision2 with { Removing = removing } : null;

        Assert.Equal(expected, TargetCapabilityRules.OnJoin(placed, assigned, rolloutRunning));
    }
}
