using Fleet.Hub.Admin;
using DomainCapabilityState = Fleet.Domain.Targets.TargetCapabilityState;
using DomainPhase = Fleet.Domain.Rollouts.RolloutPhase;
using DomainTargetState = Fleet.Domain.Rollouts.RolloutTargetState;

namespace Fleet.Hub.Tests.Admin;

/// <summary>Every domain state has its own wire value of the same name (none falls to UNSPECIFIED or throws).</summary>
public sealed class AdminMapperTests
{
    [Fact]
    public void ToMessage_EveryCapabilityState_MapsToTheWireValueOfTheSameName()
    {
        foreach (var state in Enum.GetValues<DomainCapabilityState>())
        {
            Assert.Equal(state.ToString(), AdminMapper.ToMessage(state).ToString());
        }
    }

    [Fact]
    public void ToMessage_EveryRolloutPhase_MapsToTheWireValueOfTheSameName()
    {
        foreach (var phase in Enum.GetValues<DomainPhase>())
        {
            Assert.Equal(phase.ToString(), AdminMapper.ToMessage(phase).ToString());
        }
    }

    [Fact]
    public void ToMessage_EveryRolloutTargetState_MapsToTheWireValueOfTheSameName()
    {
        foreach (var state in Enum.GetValues<DomainTargetState>())
        {
            Assert.Equal(state.ToString(), AdminMapper.ToMessage(state).ToString());
        }
    }
}
