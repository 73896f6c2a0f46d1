namespace Fleet.Hub.Storage;

internal abstract partial class DbGrainStorage
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Grain state {Key}: {Operation} refused, ETag mismatch (stored {StoredEtag}, presented {PresentedEtag})")]
    private static partial void LogConflict(ILogger logger, string operation, string key, string? storedEtag, string? presentedEtag);

    [LoggerMessage(Level = LogLevel.Error, Message = "Grain state {Key} cannot be read as {StateType}")]
    private static partial void LogUnreadableState(ILogger logger, Exception exception, string key, string? stateType);
}
