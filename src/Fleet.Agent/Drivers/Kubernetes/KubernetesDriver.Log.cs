namespace Fleet.Agent.Drivers.Kubernetes;

internal sealed partial class KubernetesDriver
{
    [LoggerMessage(1, LogLevel.Information, "Applied {Kind} {Namespace}/{Name} for {CapabilityKey}/{ResourceId}: {State} {Message}")]
    private partial void LogApplied(string capabilityKey, string resourceId, string kind, string? @namespace, string name, string state, string message);

    [LoggerMessage(2, LogLevel.Information, "Deleted {Kind} {Namespace}/{Name} of {CapabilityKey}/{ResourceId}")]
    private partial void LogDeleted(string capabilityKey, string resourceId, string kind, string? @namespace, string name);

    [LoggerMessage(3, LogLevel.Warning, "{Kind} {Namespace}/{Name} of {CapabilityKey} no longer carries our owner label: forgotten, not deleted")]
    private partial void LogNotOurs(string capabilityKey, string kind, string? @namespace, string name);

    [LoggerMessage(4, LogLevel.Warning, "{CapabilityKey}/{ResourceId} drifted: {Difference}; re-applying")]
    private partial void LogDrifted(string capabilityKey, string resourceId, string difference);
}
