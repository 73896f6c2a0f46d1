using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Fleet.Hub.Storage;

/// <summary>
/// Orleans grain storage in PostgreSQL (table <c>grain_state</c>), in the format and with the ETag
/// semantics of <see cref="DbGrainStorage"/>, as <see cref="SqliteGrainStorage"/>.
/// </summary>
/// <remarks>
/// Each operation is one statement whose <c>WHERE etag = …</c> makes the check and the change one
/// atomic step, so two activations of a grain on two hub nodes cannot both win.
/// </remarks>
internal sealed class PostgresGrainStorage(
    PostgresDatabase database,
    IActivatorProvider activators,
    TimeProvider timeProvider,
    ILogger<PostgresGrainStorage> logger) : DbGrainStorage(activators, logger, database.Scope)
{
    public override async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var key = new StateKey(grainId, stateName);
        var data = Serialize(grainState);
        var expected = grainState.ETag;
        long? expectedVersion = null;
        if (expected is not null)
        {
            expectedVersion = StorageEtag.TryParse(expected, out var version) ? version : throw await ConflictAsync("write", key, expected, cancellationToken).ConfigureAwait(false);
        }

        await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            // An insert when the grain believes there is no record (a record it does not know of is
            // a conflict), otherwise an update of exactly the version it read.
            await using var command = expectedVersion is { } version
                ? CreateUpdateCommand(connection, null, key, version)
                : CreateInsertCommand(connection, key);
            command.Parameters.Add(new NpgsqlParameter("data", NpgsqlDbType.Json) { Value = data });
            command.With("@updatedAt", timeProvider.GetUtcNow());

            // The write is committed when this returns (one statement, its own transaction). Not
            // cancellable once sent, as in SQLite: the grain must learn whether it was stored.
            if (await command.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false) is long stored)
            {
                SetStored(grainState, stored);
                return;
            }
        }

        throw await ConflictAsync("write", key, expected, cancellationToken).ConfigureAwait(false);
    }

    public override async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
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
            if (!StorageEtag.TryParse(expected, out var version) || !await DeleteAsync(key, version, cancellationToken).ConfigureAwait(false))
            {
                throw await ConflictAsync("clear", key, expected, cancellationToken).ConfigureAwait(false);
            }
        }

        SetCleared(grainState);
    }

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await database.OpenAsync(cancellationToken).ConfigureAwait(false);

    private DbCommand CreateInsertCommand(DbConnection connection, StateKey key)
    {
        var command = Scope.Bind(connection.CreateCommand(null, $"""
            INSERT INTO grain_state ({Scope.Column}grain_type, grain_id, state_name, etag, data, updated_at)
            VALUES ({Scope.Value}@grainType, @grainId, @stateName, 1, @data, @updatedAt)
            ON CONFLICT DO NOTHING
            RETURNING etag;
            """));
        key.AddParameters(command);
        return command;
    }

    private async Task<bool> DeleteAsync(StateKey key, long version, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = CreateDeleteCommand(connection, null, key, version);
        return await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false) == 1;
    }

    private async Task<InconsistentStateException> ConflictAsync(string operation, StateKey key, string? expected, CancellationToken cancellationToken)
    {
        // Read after the refused statement, for the message only: the refusal itself was atomic.
        var conflict = Conflict(key, await ReadEtagAsync(key, cancellationToken).ConfigureAwait(false), expected);
        LogConflict(operation, key, conflict.StoredEtag, expected);
        return conflict;
    }

    private async Task<long?> ReadEtagAsync(StateKey key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = CreateReadEtagCommand(connection, null, key);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long?;
    }
}
