using System.Data.Common;
using System.Text.Json;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Fleet.Hub.Storage;

/// <summary>
/// Orleans grain storage (table <c>grain_state</c>) as every storage backend of the hub keeps it:
/// reading a row, its JSON, its ETag, and what a refused write or clear reports.
/// </summary>
/// <remarks>
/// State is stored as plain JSON (<see cref="GrainStateJson"/>) without .NET type names, so renaming or
/// moving a state class does not orphan what is stored. The ETag is the row's version
/// (<see cref="StorageEtag"/>), incremented by every write; a write or a clear that does not carry the
/// stored ETag changes nothing and throws <see cref="InconsistentStateException"/> (two activations of
/// one grain, or a stale one). How a write is made atomic is the backend's. Every statement reads and
/// writes only the rows of <see cref="Scope"/> (the node's cluster, in a shared PostgreSQL database).
/// </remarks>
internal abstract partial class DbGrainStorage(IActivatorProvider activators, ILogger logger, ClusterScope scope) : IGrainStorage
{
    /// <summary>Whose rows these are (<see cref="ClusterScope"/>).</summary>
    protected ClusterScope Scope { get; } = scope;

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
        await using (var connection = await OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var command = Scope.Bind(connection.CreateCommand(null, $"""
                SELECT etag, data FROM grain_state
                WHERE {Scope.Filter}grain_type = @grainType AND grain_id = @grainId AND state_name = @stateName;
                """));
            key.AddParameters(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                SetCleared(grainState);
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
        SetStored(grainState, etag);
    }

    public abstract Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken);

    public abstract Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken);

    /// <summary>A pooled connection for reading.</summary>
    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>The JSON form of the state (<see cref="GrainStateJson"/>).</summary>
    protected static string Serialize<T>(IGrainState<T> grainState) => JsonSerializer.Serialize(grainState.State, GrainStateJson.Options);

    /// <summary>The update of exactly <paramref name="version"/>, returning the new one; the caller binds <c>@data</c> and <c>@updatedAt</c>.</summary>
    protected DbCommand CreateUpdateCommand(DbConnection connection, DbTransaction? transaction, StateKey key, long version)
    {
        var command = Scope.Bind(connection.CreateCommand(transaction, $"""
            UPDATE grain_state SET etag = etag + 1, data = @data, updated_at = @updatedAt
            WHERE {Scope.Filter}grain_type = @grainType AND grain_id = @grainId AND state_name = @stateName AND etag = @etag
            RETURNING etag;
            """));
        key.AddParameters(command);
        return command.With("@etag", version);
    }

    /// <summary>The deletion of exactly <paramref name="version"/>; it affects one row or none.</summary>
    protected DbCommand CreateDeleteCommand(DbConnection connection, DbTransaction? transaction, StateKey key, long version)
    {
        var command = Scope.Bind(connection.CreateCommand(transaction, $"""
            DELETE FROM grain_state
            WHERE {Scope.Filter}grain_type = @grainType AND grain_id = @grainId AND state_name = @stateName AND etag = @etag;
            """));
        key.AddParameters(command);
        return command.With("@etag", version);
    }

    /// <summary>The stored version of the row as a scalar (a <see cref="long"/>, or nothing when there is no row).</summary>
    protected DbCommand CreateReadEtagCommand(DbConnection connection, DbTransaction? transaction, StateKey key)
    {
        var command = Scope.Bind(connection.CreateCommand(transaction, $"""
            SELECT etag FROM grain_state
            WHERE {Scope.Filter}grain_type = @grainType AND grain_id = @grainId AND state_name = @stateName;
            """));
        key.AddParameters(command);
        return command;
    }

    /// <summary>What a refused write or clear throws, given the version stored (if any) and the ETag presented.</summary>
    protected static InconsistentStateException Conflict(StateKey key, long? stored, string? expected)
    {
        var storedText = stored is { } version ? StorageEtag.Format(version) : null;
        return new InconsistentStateException(
            $"ETag mismatch for {key.Describe()}: stored {storedText ?? "(none)"}, presented {expected ?? "(none)"}.",
            storedText,
            expected);
    }

    protected void LogConflict(string operation, StateKey key, string? storedEtag, string? presentedEtag) =>
        LogConflict(logger, operation, key.Describe(), storedEtag, presentedEtag);

    protected static void SetStored<T>(IGrainState<T> grainState, long version)
    {
        grainState.ETag = StorageEtag.Format(version);
        grainState.RecordExists = true;
    }

    /// <summary>The grain's view of a record that is not there: a fresh state and no ETag.</summary>
    protected void SetCleared<T>(IGrainState<T> grainState)
    {
        grainState.State = CreateState<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private T CreateState<T>() => activators.GetActivator<T>().Create();
}
