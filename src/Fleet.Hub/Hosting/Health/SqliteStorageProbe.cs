using Fleet.Hub.Storage;

namespace Fleet.Hub.Hosting.Health;

/// <summary>
/// A read of the schema version: it opens the file (so a deleted, unreadable or corrupt file fails) and reads a page
/// of it, without touching the writer.
/// </summary>
internal sealed class SqliteStorageProbe(SqliteDatabase database) : IStorageProbe
{
    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT MAX(version) FROM schema_version;";
        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }
}
