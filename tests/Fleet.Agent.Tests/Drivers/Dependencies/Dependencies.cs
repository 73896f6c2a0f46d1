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
}
