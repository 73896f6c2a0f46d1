using Fleet.Agent.Drivers.Pipeline;

namespace Fleet.Agent.Drivers.Kubernetes;

/// <summary>An object the driver applied for a capability: what pruning may delete (once its labels confirm it).</summary>
internal sealed class AppliedObject : IInventoryEntry
{
    public string Id { get; set; } = "";

    /// <summary>The desired resource hash last applied; equal hash and a changed object is drift.</summary>
    public string Hash { get; set; } = "";

    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public string? Namespace { get; set; }

    public string Name { get; set; } = "";

    /// <summary>
    /// The resource ids it depended on when last applied: while it is on the cluster, what it depends on is not
    /// deleted, even after the desired set stopped naming either.
    /// </summary>
    public List<string> DependsOn { get; set; } = [];

    IEnumerable<string> IInventoryEntry.DependsOn => DependsOn;
}
