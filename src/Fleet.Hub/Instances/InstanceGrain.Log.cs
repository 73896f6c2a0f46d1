namespace Fleet.Hub.Instances;

internal sealed partial class InstanceGrain
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Instance {Instance}: revision {Revision} (capability revision {CapabilityRevision}); rollout {Rollout}")]
    private static partial void LogRevisionCreated(ILogger logger, string instance, long revision, long capabilityRevision, string rollout);

    [LoggerMessage(Level = LogLevel.Information, Message = "Instance {Instance} of capability {Capability} deleted")]
    private static partial void LogDeleted(ILogger logger, string instance, string capability);
}
