using Fleet.Domain.Model;

namespace Fleet.Domain.Inputs;

/// <summary>
/// How a capability is delivered: to every placed target, or per Instance (it takes inputs). A capability keeps
/// its way of delivery for its life, because switching would leave what runs on the targets without an owner:
/// the Instances' copies, or the capability's own.
/// </summary>
public static class DeliveryMode
{
    /// <summary>Why applying <paramref name="after"/> over a stored <paramref name="before"/> is refused; null when it is not.</summary>
    public static string? RefuseChange(CapabilitySpec before, CapabilitySpec after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var perInstanceBefore = before.Inputs is not null;
        var perInstanceAfter = after.Inputs is not null;
        if (perInstanceBefore == perInstanceAfter)
        {
            return null;
        }

        return perInstanceBefore
            ? $"capability {after.Name} takes inputs and is delivered per instance; it cannot stop taking inputs while it exists (delete its instances and the capability, then apply it again)"
            : $"capability {after.Name} is delivered to every placed target; it cannot start taking inputs while it exists (delete it, then apply it again)";
    }
}
