namespace Fleet.Hub.Agents;

internal sealed partial class AgentGatewayService
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an agent stream: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped a report from {Target}: {Reason}")]
    private static partial void LogBadReport(ILogger logger, string target, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not record the disconnect of {Target} during shutdown ({Error})")]
    private static partial void LogDisconnectDuringShutdown(ILogger logger, string target, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "The stream of {Target} re-attached to its target's grain")]
    private static partial void LogReattached(ILogger logger, string target);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The stream of {Target} could not re-attach yet ({Error}: {Message}); its next heartbeat tries again")]
    private static partial void LogReattachFailed(ILogger logger, string target, string error, string message);
}
