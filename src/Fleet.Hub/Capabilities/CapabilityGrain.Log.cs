namespace Fleet.Hub.Capabilities;

internal sealed partial class CapabilityGrain
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Capability {Capability} revision {Revision} created; rollout {Rollout}")]
    private static partial void LogRevisionCreated(ILogger logger, string capability, long revision, string rollout);

    [LoggerMessage(Level = LogLevel.Information, Message = "Capability {Capability} deleted; removing it from its targets")]
    private static partial void LogDeleted(ILogger logger, string capability);
}
