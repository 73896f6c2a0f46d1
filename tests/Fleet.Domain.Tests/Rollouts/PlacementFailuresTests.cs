using Fleet.Domain.Placement;
using Fleet.Domain.Rollouts;

namespace Fleet.Domain.Tests.Rollouts;

public sealed class PlacementFailuresTests
{
    private static readonly PlacementDecision Failed = new(false, "when ${1 / x} failed: division by zero") { WhenFailed = true };

    [Fact]
    public void FailIfNothingPlaced_WhenFailedOnEveryTarget_FailsTheRecordWithTheFirstError()
    {
        var failures = new PlacementFailures();
        failures.Add("a", Failed);
        failures.Add("b", Failed);
        failures.Add("c", new PlacementDecision(false, "when ${false} is false"));
        var record = new RolloutRecord { Targets = { new RolloutTargetEntry { Name = "b", Action = RolloutAction.Remove } } };

        Assert.True(failures.FailIfNothingPlaced(record, placed: 0));

        Assert.Equal(RolloutPhase.Failed, record.Phase);
        Assert.Equal("no target placed: 2 target(s) left out because `when` failed: a: when ${1 / x} failed: division by zero", record.Message);
        Assert.Empty(record.Targets);
    }

    [Fact]
    public void FailIfNothingPlaced_SomeTargetPlaced_LeavesTheRecord()
    {
        var failures = new PlacementFailures();
        failures.Add("a", Failed);
        var record = new RolloutRecord();

        Assert.False(failures.FailIfNothingPlaced(record, placed: 1));
        Assert.Equal((RolloutPhase.Pending, ""), (record.Phase, record.Message));
    }

    [Fact]
    public void FailIfNothingPlaced_NoWhenFailed_LeavesAnEmptyRollout()
    {
        var failures = new PlacementFailures();
        failures.Add("c", new PlacementDecision(false, "label env is missing"));

        Assert.False(failures.FailIfNothingPlaced(new RolloutRecord(), placed: 0));
        Assert.Equal(0, failures.Count);
    }
}
