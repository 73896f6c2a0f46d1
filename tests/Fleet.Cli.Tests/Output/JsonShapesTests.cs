using Fleet.Cli.Output;
using Fleet.Protocol.Admin.V1;

namespace Fleet.Cli.Tests.Output;

/// <summary>The wire carries enums; the JSON of SPEC §5 keeps the names scripts already read.</summary>
public sealed class JsonShapesTests
{
    [Theory]
    [InlineData(TargetCapabilityState.Pending, "Pending")]
    [InlineData(TargetCapabilityState.Applying, "Applying")]
    [InlineData(TargetCapabilityState.Ready, "Ready")]
    [InlineData(TargetCapabilityState.Failed, "Failed")]
    [InlineData(TargetCapabilityState.Drifted, "Drifted")]
    [InlineData(TargetCapabilityState.Removing, "Removing")]
    public void Target_CapabilityState_KeepsSpecName(TargetCapabilityState state, string expected)
    {
        var target = new Target { Name = "a1" };
        target.Capabilities["greeter"] = new TargetCapability { Revision = 1, State = state };

        var json = JsonShapes.Target(target);

        Assert.Equal(expected, (string?)json["capabilities"]!["greeter"]!["state"]);
    }

    [Theory]
    [InlineData(RolloutPhase.Pending, "Pending")]
    [InlineData(RolloutPhase.Running, "Running")]
    [InlineData(RolloutPhase.WaitingApproval, "WaitingApproval")]
    [InlineData(RolloutPhase.WaitingWindow, "WaitingWindow")]
    [InlineData(RolloutPhase.WaitingGate, "WaitingGate")]
    [InlineData(RolloutPhase.Paused, "Paused")]
    [InlineData(RolloutPhase.Succeeded, "Succeeded")]
    [InlineData(RolloutPhase.Failed, "Failed")]
    [InlineData(RolloutPhase.Aborted, "Aborted")]
    [InlineData(RolloutPhase.RolledBack, "RolledBack")]
    [InlineData(RolloutPhase.Superseded, "Superseded")]
    public void Rollout_Phase_KeepsSpecNameForRolloutAndWave(RolloutPhase phase, string expected)
    {
        var rollout = new Rollout { Id = "r1", Phase = phase, Counts = new RolloutCounts() };
        rollout.Waves.Add(new RolloutWave { Name = "canary", Phase = phase });

        var json = JsonShapes.Rollout(rollout);

        Assert.Equal(expected, (string?)json["phase"]);
        Assert.Equal(expected, (string?)json["waves"]![0]!["phase"]);
    }

    [Theory]
    [InlineData(RolloutTargetState.Pending, "Pending")]
    [InlineData(RolloutTargetState.InProgress, "InProgress")]
    [InlineData(RolloutTargetState.Succeeded, "Succeeded")]
    [InlineData(RolloutTargetState.Failed, "Failed")]
    [InlineData(RolloutTargetState.Skipped, "Skipped")]
    public void Rollout_TargetState_KeepsSpecName(RolloutTargetState state, string expected)
    {
        var rollout = new Rollout { Id = "r1", Phase = RolloutPhase.Running, Counts = new RolloutCounts() };
        var wave = new RolloutWave { Name = "canary", Phase = RolloutPhase.Running };
        wave.Targets.Add(new RolloutTarget { Name = "a1", State = state });
        rollout.Waves.Add(wave);

        var json = JsonShapes.Rollout(rollout);

        Assert.Equal(expected, (string?)json["waves"]![0]!["targets"]![0]!["state"]);
    }
}
