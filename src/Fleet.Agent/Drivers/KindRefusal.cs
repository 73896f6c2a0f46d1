using Fleet.Protocol.Agent.V1;

namespace Fleet.Agent.Drivers;

/// <summary>Why a driver refuses a resource that is not of its kind, worded the same by every driver.</summary>
internal static class KindRefusal
{
    /// <summary>
    /// Null when <paramref name="resource"/> is of <paramref name="kind"/>, else the resource's Failed message. Meant
    /// for resources that are not <c>awaiting</c>: those carry no kind by design and are held, never refused.
    /// </summary>
    public static string? Check(Resource resource, Resource.KindOneofCase kind, string driver) =>
        resource.KindCase == kind ? null
        : resource.KindCase == Resource.KindOneofCase.None
            // Told apart from a wrong kind: the hub always sends either a kind or awaiting, so a resource with neither
            // is a hub or wire bug to chase, not a capability placed on a target of another driver.
            ? $"resource has no kind and is not awaiting a render: the {driver} driver has nothing to apply"
            : $"the {driver} driver cannot apply resource kind {resource.KindCase.ToString().ToLowerInvariant()}";
}
