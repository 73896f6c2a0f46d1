using Fleet.Domain.Inputs;
using Fleet.Domain.Model;

namespace Fleet.Domain.Tests.Inputs;

public sealed class DeliveryModeTests
{
    private static readonly CapabilitySpec ToEveryTarget = new() { Name = "app" };
    private static readonly CapabilitySpec PerInstance = new() { Name = "app", Inputs = new InputSchema([]) };

    [Fact]
    public void RefuseChange_SameWayOfDelivery_IsAllowed()
    {
        Assert.Null(DeliveryMode.RefuseChange(ToEveryTarget, ToEveryTarget with { Version = "2" }));
        Assert.Null(DeliveryMode.RefuseChange(PerInstance, PerInstance with { Version = "2" }));
    }

    [Fact]
    public void RefuseChange_StartingToTakeInputs_IsRefusedWithWhatToDo()
    {
        var refusal = DeliveryMode.RefuseChange(ToEveryTarget, PerInstance);

        Assert.Equal("capability app is delivered to every placed target; it cannot start taking inputs while it exists (delete it, then apply it again)", refusal);
    }

    [Fact]
    public void RefuseChange_StoppingToTakeInputs_IsRefusedWithWhatToDo()
    {
        var refusal = DeliveryMode.RefuseChange(PerInstance, ToEveryTarget);

        Assert.NotNull(refusal);
        Assert.StartsWith("capability app takes inputs and is delivered per instance; it cannot stop taking inputs", refusal);
        Assert.Contains("delete its instances and the capability", refusal);
    }
}
