using System.Data.Common;

namespace Fleet.Hub.Storage;

/// <summary>
/// Orleans' reminder table (table <c>reminders</c>) as every storage backend of the hub keeps it:
/// each row keeps the grain's uniform hash, which is how the reminder service of a silo asks for its
/// slice of the ring, and the ETag is the row's version (<see cref="StorageEtag"/>).
/// </summary>
/// <remarks>
/// An upsert increments the version, a removal succeeds only with the current one (a grain removing
/// a reminder that was meanwhile re-registered removes nothing). Reading and mapping rows is shared
/// here; how a write reaches the database (and the time column's type) is the backend's. Every
/// statement reads and writes only the rows of <see cref="Scope"/> (the node's cluster, in a shared
/// PostgreSQL database): another hub's reminders never fire here.
/// </remarks>
internal abstract class DbReminderTable(ClusterScope scope) : IReminderTable
{
    private const string SelectColumns = "SELECT grain_id, reminder_name, start_time, period_ms, etag FROM reminders";

    /// <summary>Whose rows these are (<see cref="ClusterScope"/>).</summary>
    protected ClusterScope Scope { get; } = scope;

    public abstract Task StartAsync(CancellationToken cancellationToken = default);

    public Task<ReminderTableData> ReadRows(GrainId grainId) => ReadRows(grainId, CancellationToken.None);

    public Task<ReminderTableData> ReadRows(uint begin, uint end) => ReadRows(begin, end, CancellationToken.None);

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) => ReadRow(grainId, reminderName, CancellationToken.None);

    public Task<string?> UpsertRow(ReminderEntry entry) => UpsertRow(entry, CancellationToken.None);

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) =>
        RemoveRow(grainId, reminderName, eTag, CancellationToken.None);

    public Task TestOnlyClearTable() => TestOnlyClearTable(CancellationToken.None);

    public async Task<ReminderTableData> ReadRows(GrainId grainId, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            $"{SelectColumns} WHERE {Scope.Filter}grain_id = @grainId;",
            command => command.With("@grainId", grainId.ToString()),
            cancellationToken).ConfigureAwait(false);
        return new ReminderTableData(rows);
    }

    public async Task<ReminderTableData> ReadRows(uint begin, uint end, CancellationToken cancellationToken)
    {
        // The range is (begin, end] on the ring; begin >= end wraps around past uint.MaxValue
        // (and begin == end is the whole ring). Hashes are stored as 64-bit integers, so they
        // compare unsigned.
        var condition = begin < end
            ? "grain_hash > @begin AND grain_hash <= @end"
            : "(grain_hash > @begin OR grain_hash <= @end)";
        var rows = await QueryAsync(
            $"{SelectColumns} WHERE {Scope.Filter}{condition};",
            command => command.With("@begin", (long)begin).With("@end", (long)end),
            cancellationToken).ConfigureAwait(false);
        return new ReminderTableData(rows);
    }

    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            $"{SelectColumns} WHERE {Scope.Filter}grain_id = @grainId AND reminder_name = @name;",
            command => command.With("@grainId", grainId.ToString()).With("@name", reminderName),
            cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<string?> UpsertRow(ReminderEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var row = new ReminderRow(
            entry.GrainId.ToString(),
            entry.ReminderName,
            (long)entry.GrainId.GetUniformHashCode(),
            AsUtc(entry.StartAt),
            (long)entry.Period.TotalMilliseconds);
        return StorageEtag.Format(await UpsertAsync(row, cancellationToken).ConfigureAwait(false));
    }

    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag, CancellationToken cancellationToken)
    {
        if (!StorageEtag.TryParse(eTag, out var version))
        {
            return false;
        }

        return await RemoveAsync(grainId.ToString(), reminderName, version, cancellationToken).ConfigureAwait(false);
    }

    public abstract Task TestOnlyClearTable(CancellationToken cancellationToken);

    /// <summary>Inserts the row with version 1, or updates it and increments its version; returns the version stored.</summary>
    protected abstract Task<long> UpsertAsync(ReminderRow row, CancellationToken cancellationToken);

    /// <summary>Deletes the row only if it has <paramref name="version"/>; true when it did.</summary>
    protected abstract Task<bool> RemoveAsync(string grainId, string reminderName, long version, CancellationToken cancellationToken);

    /// <summary>
    /// The upsert of <paramref name="row"/>, returning the version stored; <paramref name="startTime"/> is
    /// the start as the backend's column keeps it.
    /// </summary>
    protected DbCommand CreateUpsertCommand(DbConnection connection, DbTransaction? transaction, ReminderRow row, object startTime) =>
        Scope.Bind(connection.CreateCommand(transaction, $"""
            INSERT INTO reminders ({Scope.Column}grain_id, reminder_name, grain_hash, start_time, period_ms, etag)
            VALUES ({Scope.Value}@grainId, @name, @hash, @startTime, @periodMs, 1)
            ON CONFLICT ({Scope.Column}grain_id, reminder_name) DO UPDATE SET
                grain_hash = excluded.grain_hash,
                start_time = excluded.start_time,
                period_ms = excluded.period_ms,
                etag = reminders.etag + 1
            RETURNING etag;
            """))
            .With("@grainId", row.GrainId)
            .With("@name", row.ReminderName)
            .With("@hash", row.GrainHash)
            .With("@startTime", startTime)
            .With("@periodMs", row.PeriodMs);

    /// <summary>The removal of a reminder at exactly <paramref name="version"/>; it affects one row or none.</summary>
    protected DbCommand CreateRemoveCommand(
        DbConnection connection, DbTransaction? transaction, string grainId, string reminderName, long version) =>
        Scope.Bind(connection.CreateCommand(transaction, $"DELETE FROM reminders WHERE {Scope.Filter}grain_id = @grainId AND reminder_name = @name AND etag = @etag;"))
            .With("@grainId", grainId)
            .With("@name", reminderName)
            .With("@etag", version);

    /// <summary>A pooled connection for reading.</summary>
    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>The UTC start time kept in column <paramref name="ordinal"/>.</summary>
    protected abstract DateTime ReadStartTime(DbDataReader reader, int ordinal);

    private async Task<List<ReminderEntry>> QueryAsync(
        string sql, Action<DbCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Scope.Bind(connection.CreateCommand(null, sql));
        bind(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<ReminderEntry>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new ReminderEntry
            {
                GrainId = GrainId.Parse(reader.GetString(0)),
                ReminderName = reader.GetString(1),
                StartAt = ReadStartTime(reader, 2),
                Period = TimeSpan.FromMilliseconds(reader.GetInt64(3)),
                ETag = StorageEtag.Format(reader.GetInt64(4)),
            });
        }

        return rows;
    }

    // Orleans computes StartAt from DateTime.UtcNow; an unspecified kind is taken as UTC too.
    private static DateTime AsUtc(DateTime time) =>
        time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time.ToUniversalTime();

    /// <summary>What an upsert writes: the grain, the reminder's name, the grain's uniform hash, the UTC start and the period.</summary>
    protected readonly record struct ReminderRow(string GrainId, string ReminderName, long GrainHash, DateTime StartAt, long PeriodMs);
}
