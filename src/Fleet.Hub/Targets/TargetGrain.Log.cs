namespace Fleet.Hub.Targets;

internal sealed partial class TargetGrain
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Target {Target} connected (driver {Driver}, reporting {Count} capabilities)")]
    private static partial void LogConnected(ILogger logger, string target, string driver, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Target {Target} disconnected")]
    private static partial void LogDisconnected(ILogger logger, string target);

    [LoggerMessage(Level = LogLevel.Information, Message = "Target {Target} joined the placement of {Capability}: it receives stable revision {Revision}")]
    private static partial void LogPlacedOnJoin(ILogger logger, string target, string capability, long revision);
}
