using Fleet.Hub.Storage;
using Npgsql;

namespace Fleet.Hub.Hosting.Health;

/// <summary>
/// <c>SELECT 1</c> on a pooled connection: it proves the server accepts connections and runs queries, and reads no
/// table, so a probe costs the database next to nothing.
/// </summary>
internal sealed class PostgresStorageProbe(PostgresDatabase database) : IStorageProbe
{
    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT 1;", connection);
        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }
}
