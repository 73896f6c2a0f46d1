namespace Fleet.Hub.Storage;

internal sealed partial class PostgresDatabase
{
    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL storage {Database} on {Host} is ready (schema version {Version})")]
    private static partial void LogOpened(ILogger logger, string? database, string? host, int version);

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL storage {Database} upgraded to schema version {Version}")]
    private static partial void LogMigrated(ILogger logger, string? database, int version);
}
