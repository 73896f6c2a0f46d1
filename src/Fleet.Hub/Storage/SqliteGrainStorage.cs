using System.Globalization;
using Microsoft.Data.Sqlite;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Fleet.Hub.Storage;

/// <summary>
/// Orleans grain storage in the embedded SQLite database (table <c>grain_state</c>), in the format
/// and with the ETag semantics of <see cref="DbGrainStorage"/>.
/// </summary>
/// <remarks>
/// A write or a clear runs on the group-commit writer of <see cref="SqliteDatabase"/>: its ETag check
/// and its change are one step of the single writer, and a refused one is rolled back alone.
/// </remarks>
internal sealed class SqliteGrainStorage(
    SqliteDatabase database,
    IActivatorProvider activators,
    TimeProvider timeProvider,
    ILogger<SqliteGrainStorage> logger) : DbGrainStorage(activators, logger, ClusterScope.Unscoped)
{
    public override async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var key = new StateKey(grainId, stateName);
        var data = Serialize(grainState);
        var expected = grainState.ETag;
        var updatedAt = timeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        try
        {
            var stored = await database.WriteAsync(
                transaction => expected is null
                    ? Insert(transaction, key, data, updatedAt)
                    : Update(transaction, key, expected, data, updatedAt),
                cancellationToken).ConfigureAwait(false);
            SetStored(grainState, stored);
        }
        catch (InconsistentStateException exception)
        {
            LogConflict("write", key, exception.StoredEtag, exception.CurrentEtag);
            throw;
        }
    }

    public override async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var key = new StateKey(grainId, stateName);
        var expected = grainState.ETag;
        try
        {
            await database.WriteAsync(transaction => Delete(transaction, key, expected), cancellationToken).ConfigureAwait(false);
        }
        catch (InconsistentStateException exception)
        {
            LogConflict("clear", key, exception.StoredEtag, exception.CurrentEtag);
            throw;
        }

        SetCleared(grainState);
    }

    protected override async Task<System.Data.Common.DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await database.OpenAsync(cancellationToken).ConfigureAwait(false);

    private long Insert(SqliteTransaction transaction, StateKey key, string data, string updatedAt)
    {
        using var command = transaction.CreateCommand("""
            INSERT INTO grain_state (grain_type, grain_id, state_name, etag, data, updated_at)
            VALUES (@grainType, @grainId, @stateName, 1, @data, @updatedAt)
            ON CONFLICT DO NOTHING;
            """);
        key.AddParameters(command);
        command.Parameters.AddWithValue("@data", data);
        command.Parameters.AddWithValue("@updatedAt", updatedAt);
        if (command.ExecuteNonQuery() == 0)
        {
            // The grain believes there is no record, but there is one.
            throw Conflict(transaction, key, expected: null);
        }

        return 1;
    }

    private long Update(SqliteTransaction transaction, StateKey key, string expected, string data, string updatedAt)
    {
        if (!StorageEtag.TryParse(expected, out var expectedVersion))
        {
            throw Conflict(transaction, key, expected);
        }

        using var command = CreateUpdateCommand(transaction.Connection!, transaction, key, expectedVersion)
            .With("@data", data)
            .With("@updatedAt", updatedAt);
        return command.ExecuteScalar() is long stored ? stored : throw Conflict(transaction, key, expected);
    }

    private int Delete(SqliteTransaction transaction, StateKey key, string? expected)
    {
        if (expected is null)
        {
            // Nothing to delete is fine; a record the grain does not know about is a conflict.
            return ReadEtag(transaction, key) is null ? 0 : throw Conflict(transaction, key, expected);
        }

        if (!StorageEtag.TryParse(expected, out var expectedVersion))
        {
            throw Conflict(transaction, key, expected);
        }

        using var command = CreateDeleteCommand(transaction.Connection!, transaction, key, expectedVersion);
        return command.ExecuteNonQuery() == 1 ? 1 : throw Conflict(transaction, key, expected);
    }

    // Inside the write transaction: the stored ETag reported is the one the refusal saw.
    private InconsistentStateException Conflict(SqliteTransaction transaction, StateKey key, string? expected) =>
        Conflict(key, ReadEtag(transaction, key), expected);

    private long? ReadEtag(SqliteTransaction transaction, StateKey key)
    {
        using var command = CreateReadEtagCommand(transaction.Connection!, transaction, key);
        return command.ExecuteScalar() as long?;
    }
}
