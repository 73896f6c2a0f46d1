using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Fleet.Hub.Storage;

/// <summary>
/// Orleans grain storage in the embedded SQLite database (table <c>grain_state</c>).
/// </summary>
/// <remarks>
/// State is stored as plain JSON (<see cref="GrainStateJson"/>) without .NET type names, so renaming or
/// moving a state class does not orphan what is stored. The ETag is the row's version, an integer incremented by every write;
/// a write or a clear that does not carry the stored ETag changes nothing and throws
/// <see cref="InconsistentStateException"/> (two activations of one grain, or a stale one).
/// </remarks>
internal sealed partial class SqliteGrainStorage(
    SqliteDatabase database,
    IActivatorProvider activators,
    TimeProvider timeProvider,
    ILogger<SqliteGrainStorage> logger) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var key = new StateKey(grainId, stateName);
        long etag;
        string data;
        await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT etag, data FROM grain_state
                WHERE grain_type = $grainType AND grain_id = $grainId AND state_name = $stateName;
                """;
            key.AddParameters(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                grainState.State = CreateState<T>();
                grainState.ETag = null;
                grainState.RecordExists = false;
                return;
            }

            etag = reader.GetInt64(0);
            data = reader.GetString(1);
        }

        T? state;
        try
        {
            state = JsonSerializer.Deserialize<T>(data, GrainStateJson.Options);
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException)
        {
            LogUnreadableState(logger, exception, key.Describe(), typeof(T).FullName);
            throw new InvalidOperationException(
                $"The stored state {key.Describe()} cannot be read as {typeof(T).FullName}: {exception.Message}", exception);
        }

        grainState.State = state ?? CreateState<T>();
        grainState.ETag = FormatEtag(etag);
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var key = new StateKey(grainId, stateName);
        var data = JsonSerializer.Serialize(grainState.State, GrainStateJson.Options);
        var expected = grainState.ETag;
        var updatedAt = timeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        try
        {
            var stored = await database.WriteAsync(
                transaction => expected is null
                    ? Insert(transaction, key, data, updatedAt)
                    : Update(transaction, key, expected, data, updatedAt),
                cancellationToken).ConfigureAwait(false);
            grainState.ETag = FormatEtag(stored);
            grainState.RecordExists = true;
        }
        catch (InconsistentStateException exception)
        {
            LogConflict(logger, "write", key.Describe(), exception.StoredEtag, exception.CurrentEtag);
            throw;
        }
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var key = new StateKey(grainId, stateName);
        var expected = grainState.ETag;
        try
        {
            await database.WriteAsync(transaction => Delete(transaction, key, expected), cancellationToken).ConfigureAwait(false);
        }
        catch (InconsistentStateException exception)
        {
            LogConflict(logger, "clear", key.Describe(), exception.StoredEtag, exception.CurrentEtag);
            throw;
        }

        grainState.State = CreateState<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private static long Insert(SqliteTransaction transaction, StateKey key, string data, string updatedAt)
    {
        using var command = transaction.CreateCommand("""
            INSERT INTO grain_state (grain_type, grain_id, state_name, etag, data, updated_at)
            VALUES ($grainType, $grainId, $stateName, 1, $data, $updatedAt)
            ON CONFLICT DO NOTHING;
            """);
        key.AddParameters(command);
        command.Parameters.AddWithValue("$data", data);
        command.Parameters.AddWithValue("$updatedAt", updatedAt);
        if (command.ExecuteNonQuery() == 0)
        {
            // The grain believes there is no record, but there is one.
            throw Conflict(transaction, key, expected: null);
        }

        return 1;
    }

    private static long Update(SqliteTransaction transaction, StateKey key, string expected, string data, string updatedAt)
    {
        if (!TryParseEtag(expected, out var expectedVersion))
        {
            throw Conflict(transaction, key, expected);
        }

        using var command = transaction.CreateCommand("""
            UPDATE grain_state SET etag = etag + 1, data = $data, updated_at = $updatedAt
            WHERE grain_type = $grainType AND grain_id = $grainId AND state_name = $stateName AND etag = $etag
            RETURNING etag;
            """);
        key.AddParameters(command);
        command.Parameters.AddWithValue("$etag", expectedVersion);
        command.Parameters.AddWithValue("$data", data);
        command.Parameters.AddWithValue("$updatedAt", updatedAt);
        return command.ExecuteScalar() is long stored ? stored : throw Conflict(transaction, key, expected);
    }

    private static int Delete(SqliteTransaction transaction, StateKey key, string? expected)
    {
        if (expected is null)
        {
            // Nothing to delete is fine; a record the grain does not know about is a conflict.
            return ReadEtag(transaction, key) is null ? 0 : throw Conflict(transaction, key, expected);
        }

        if (!TryParseEtag(expected, out var expectedVersion))
        {
            throw Conflict(transaction, key, expected);
        }

        using var command = transaction.CreateCommand("""
            DELETE FROM grain_state
            WHERE grain_type = $grainType AND grain_id = $grainId AND state_name = $stateName AND etag = $etag;
            """);
        key.AddParameters(command);
        command.Parameters.AddWithValue("$etag", expectedVersion);
        return command.ExecuteNonQuery() == 1 ? 1 : throw Conflict(transaction, key, expected);
    }

    private static InconsistentStateException Conflict(SqliteTransaction transaction, StateKey key, string? expected)
    {
        var stored = ReadEtag(transaction, key);
        var storedText = stored is { } version ? FormatEtag(version) : null;
        return new InconsistentStateException(
            $"ETag mismatch for {key.Describe()}: stored {storedText ?? "(none)"}, presented {expected ?? "(none)"}.",
            storedText,
            expected);
    }

    private static long? ReadEtag(SqliteTransaction transaction, StateKey key)
    {
        using var command = transaction.CreateCommand("""
            SELECT etag FROM grain_state
            WHERE grain_type = $grainType AND grain_id = $grainId AND state_name = $stateName;
            """);
        key.AddParameters(command);
        return command.ExecuteScalar() as long?;
    }


    private static string FormatEtag(long version) => version.ToString(CultureInfo.InvariantCulture);

    private static bool TryParseEtag(string etag, out long version) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out version);

    private T CreateState<T>() => activators.GetActivator<T>().Create();
}
