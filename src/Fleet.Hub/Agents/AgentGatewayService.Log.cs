namespace Fleet.Hub.Agents;

internal sealed partial class AgentGatewayService
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an agent stream: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped a report from {Target}: {Reason}")]
    private static partial void LogBadReport(ILogger logger, string target, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not record the disconnect of {Target} during shutdown ({Error})")]
    private static partial void LogDisconnectDuringShutdown(ILogger logger, string target, string error);
}
