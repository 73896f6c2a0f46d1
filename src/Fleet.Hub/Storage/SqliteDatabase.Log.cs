namespace Fleet.Hub.Storage;

internal sealed partial class SqliteDatabase
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded storage {Path} is ready (schema version {Version})")]
    private static partial void LogOpened(ILogger logger, string path, int version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded storage {Path} upgraded to schema version {Version}")]
    private static partial void LogMigrated(ILogger logger, string path, int version);

    [LoggerMessage(Level = LogLevel.Error, Message = "A write batch of {Count} requests to {Path} failed; none of them was stored")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, string path, int count);
}
