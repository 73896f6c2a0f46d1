namespace Fleet.Hub.Targets;

internal sealed partial class TargetGrain
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Target {Target} connected (driver {Driver}, reporting {Count} capabilities)")]
    private static partial void LogConnected(ILogger logger, string target, string driver, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Target {Target} disconnected")]
    private static partial void LogDisconnected(ILogger logger, string target);

    [LoggerMessage(Level = LogLevel.Information, Message = "Target {Target}: its stream re-attached to this activation")]
    private static partial void LogResumed(ILogger logger, string target);

    [LoggerMessage(Level = LogLevel.Information, Message = "Target {Target} joined the placement of {Capability}: it receives stable revision {Revision}")]
    private static partial void LogPlacedOnJoin(ILogger logger, string target, string capability, long revision);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Target {Target}: {Key} ran out of its render budget and is Failed there: {Reason}")]
    private static partial void LogOverBudget(ILogger logger, string target, string key, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Target {Target}: {Key} ({Bytes} bytes) does not fit the desired set an agent receives and is sent as Failed")]
    private static partial void LogDesiredSetOverflow(ILogger logger, string target, string key, long bytes);
}
