using Fleet.Protocol.Agent.V1;

namespace Fleet.Agent.Tests.Drivers.Dependencies;

/// <summary>Adds depends_on to a resource the way the hub will send it: part of what the resource's hash covers.</summary>
internal static class Dependencies
{
    public static Resource DependingOn(this Resource resource, params string[] ids)
    {
        var copy = resource.Clone();
        copy.DependsOn.Add(ids);
        copy.Hash = $"{resource.Hash}+{string.Join(",", ids)}";
        return copy;
    }

    /// <summary>
    /// The resource as the hub sends it while it cannot render it yet: same id and depends_on, no kind, and the
    /// awaiting text. The hub's hash covers depends_on and awaiting, not content it has not rendered, so it differs
    /// from the rendered resource's.
    /// </summary>
    public static Resource Awaiting(this Resource resource, string text)
    {
        var copy = resource.Clone();
        copy.ClearKind();
        copy.Awaiting = text;
        copy.Hash = $"awaiting:{resource.Id}:{string.Join(",", resource.DependsOn)}:{text}";
        return copy;
    }
}
