using System.Globalization;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Fleet.Hub.Storage;

/// <summary>
/// Orleans grain storage in PostgreSQL (table <c>grain_state</c>), with the semantics of
/// <see cref="SqliteGrainStorage"/>: the same JSON (<see cref="GrainStateJson"/>), and the ETag is the
/// row's version, incremented by every write; a write or a clear that does not carry the stored ETag
/// changes nothing and throws <see cref="InconsistentStateException"/>.
/// </summary>
/// <remarks>
/// Each operation is one statement whose <c>WHERE etag = …</c> makes the check and the change one
/// atomic step, so two activations of a grain on two hub nodes cannot both win.
/// </remarks>
internal sealed partial class PostgresGrainStorage(
    PostgresDatabase database,
    IActivatorProvider activators,
    TimeProvider timeProvider,
    ILogger<PostgresGrainStorage> logger) : IGrainStorage
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
            await using var command = new NpgsqlCommand("""
                SELECT etag, data FROM grain_state
                WHERE grain_type = @grainType AND grain_id = @grainId AND state_name = @stateName;
                """, connection);
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
        long? expectedVersion = null;
        if (expected is not null)
        {
            expectedVersion = TryParseEtag(expected, out var version) ? version : throw await ConflictAsync("write", key, expected, cancellationToken).ConfigureAwait(false);
        }

        await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            // An insert when the grain believes there is no record (a record it does not know of is
            // a conflict), otherwise an update of exactly the version it read.
            await using var command = new NpgsqlCommand(
                expectedVersion is null
                    ? """
                      INSERT INTO grain_state (grain_type, grain_id, state_name, etag, data, updated_at)
                      VALUES (@grainType, @grainId, @stateName, 1, @data, @updatedAt)
                      ON CONFLICT DO NOTHING
                      RETURNING etag;
                      """
                    : """
                      UPDATE grain_state SET etag = etag + 1, data = @data, updated_at = @updatedAt
                      WHERE grain_type = @grainType AND grain_id = @grainId AND state_name = @stateName AND etag = @etag
                      RETURNING etag;
                      """,
                connection);
            key.AddParameters(command);
            command.Parameters.Add(new NpgsqlParameter("data", NpgsqlDbType.Json) { Value = data });
            command.Parameters.AddWithValue("updatedAt", timeProvider.GetUtcNow());
            if (expectedVersion is { } version)
            {
                command.Parameters.AddWithValue("etag", version);
            }

            // The write is committed when this returns (one statement, its own transaction). Not
            // cancellable once sent, as in SQLite: the grain must learn whether it was stored.
            if (await command.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false) is long stored)
            {
                grainState.ETag = FormatEtag(stored);
                grainState.RecordExists = true;
                return;
            }
        }

        throw await ConflictAsync("write", key, expected, cancellationToken).ConfigureAwait(false);
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var key = new StateKey(grainId, stateName);
        var expected = grainState.ETag;
        if (expected is null)
        {
            // Nothing to delete is fine; a record the grain does not know about is a conflict.
            if (await ReadEtagAsync(key, cancellationToken).ConfigureAwait(false) is not null)
            {
                throw await ConflictAsync("clear", key, expected, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            if (!TryParseEtag(expected, out var version) || !await DeleteAsync(key, version, cancellationToken).ConfigureAwait(false))
            {
                throw await ConflictAsync("clear", key, expected, cancellationToken).ConfigureAwait(false);
            }
        }

        grainState.State = CreateState<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private async Task<bool> DeleteAsync(StateKey key, long version, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            DELETE FROM grain_state
            WHERE grain_type = @grainType AND grain_id = @grainId AND state_name = @stateName AND etag = @etag;
            """, connection);
        key.AddParameters(command);
        command.Parameters.AddWithValue("etag", version);
        return await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false) == 1;
    }

    private async Task<InconsistentStateException> ConflictAsync(string operation, StateKey key, string? expected, CancellationToken cancellationToken)
    {
        // Read after the refused statement, for the message only: the refusal itself was atomic.
        var stored = await ReadEtagAsync(key, cancellationToken).ConfigureAwait(false);
        var storedText = stored is { } version ? FormatEtag(version) : null;
        LogConflict(logger, operation, key.Describe(), storedText, expected);
        return new InconsistentStateException(
            $"ETag mismatch for {key.Describe()}: stored {storedText ?? "(none)"}, presented {expected ?? "(none)"}.",
            storedText,
            expected);
    }

    private async Task<long?> ReadEtagAsync(StateKey key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            SELECT etag FROM grain_state
            WHERE grain_type = @grainType AND grain_id = @grainId AND state_name = @stateName;
            """, connection);
        key.AddParameters(command);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long?;
    }

    private static string FormatEtag(long version) => version.ToString(CultureInfo.InvariantCulture);

    private static bool TryParseEtag(string etag, out long version) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out version);

    private T CreateState<T>() => activators.GetActivator<T>().Create();
}
