using System.Globalization;
using Npgsql;

namespace Fleet.Hub.Storage;

/// <summary>
/// Orleans' reminder table in PostgreSQL (table <c>reminders</c>), with the semantics of
/// <see cref="SqliteReminderTable"/>: each row keeps the grain's uniform hash (how the reminder
/// service of a silo asks for its slice of the ring), and the ETag is the row's version: an upsert
/// increments it, a removal succeeds only with the current one.
/// </summary>
internal sealed class PostgresReminderTable(PostgresDatabase database) : IReminderTable
{
    private const string SelectColumns = "SELECT grain_id, reminder_name, start_time, period_ms, etag FROM reminders";

    public Task StartAsync(CancellationToken cancellationToken = default) => database.InitializeAsync(cancellationToken);

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
            $"{SelectColumns} WHERE grain_id = @grainId;",
            command => command.Parameters.AddWithValue("grainId", grainId.ToString()),
            cancellationToken).ConfigureAwait(false);
        return new ReminderTableData(rows);
    }

    public async Task<ReminderTableData> ReadRows(uint begin, uint end, CancellationToken cancellationToken)
    {
        // The range is (begin, end] on the ring; begin >= end wraps around past uint.MaxValue
        // (and begin == end is the whole ring). Hashes are stored as bigint, so they compare unsigned.
        var condition = begin < end
            ? "grain_hash > @begin AND grain_hash <= @end"
            : "grain_hash > @begin OR grain_hash <= @end";
        var rows = await QueryAsync(
            $"{SelectColumns} WHERE {condition};",
            command =>
            {
                command.Parameters.AddWithValue("begin", (long)begin);
                command.Parameters.AddWithValue("end", (long)end);
            },
            cancellationToken).ConfigureAwait(false);
        return new ReminderTableData(rows);
    }

    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            $"{SelectColumns} WHERE grain_id = @grainId AND reminder_name = @name;",
            command =>
            {
                command.Parameters.AddWithValue("grainId", grainId.ToString());
                command.Parameters.AddWithValue("name", reminderName);
            },
            cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<string?> UpsertRow(ReminderEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            INSERT INTO reminders (grain_id, reminder_name, grain_hash, start_time, period_ms, etag)
            VALUES (@grainId, @name, @hash, @startTime, @periodMs, 1)
            ON CONFLICT (grain_id, reminder_name) DO UPDATE SET
                grain_hash = excluded.grain_hash,
                start_time = excluded.start_time,
                period_ms = excluded.period_ms,
                etag = reminders.etag + 1
            RETURNING etag;
            """, connection);
        command.Parameters.AddWithValue("grainId", entry.GrainId.ToString());
        command.Parameters.AddWithValue("name", entry.ReminderName);
        command.Parameters.AddWithValue("hash", (long)entry.GrainId.GetUniformHashCode());
        command.Parameters.AddWithValue("startTime", AsUtc(entry.StartAt));
        command.Parameters.AddWithValue("periodMs", (long)entry.Period.TotalMilliseconds);

        // Not cancellable once sent: the caller must learn whether the reminder was stored.
        var etag = (long)(await command.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false))!;
        return FormatEtag(etag);
    }

    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag, CancellationToken cancellationToken)
    {
        if (!long.TryParse(eTag, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return false;
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "DELETE FROM reminders WHERE grain_id = @grainId AND reminder_name = @name AND etag = @etag;", connection);
        command.Parameters.AddWithValue("grainId", grainId.ToString());
        command.Parameters.AddWithValue("name", reminderName);
        command.Parameters.AddWithValue("etag", version);
        return await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false) == 1;
    }

    public async Task TestOnlyClearTable(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("DELETE FROM reminders;", connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<ReminderEntry>> QueryAsync(
        string sql, Action<NpgsqlCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        bind(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<ReminderEntry>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new ReminderEntry
            {
                GrainId = GrainId.Parse(reader.GetString(0)),
                ReminderName = reader.GetString(1),
                // timestamptz comes back as a UTC DateTime.
                StartAt = reader.GetDateTime(2),
                Period = TimeSpan.FromMilliseconds(reader.GetInt64(3)),
                ETag = FormatEtag(reader.GetInt64(4)),
            });
        }

        return rows;
    }

    // Npgsql writes only UTC DateTimes to timestamptz. Orleans computes StartAt from
    // DateTime.UtcNow; an unspecified kind is taken as UTC too, as in SQLite.
    private static DateTime AsUtc(DateTime time) =>
        time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time.ToUniversalTime();

    private static string FormatEtag(long version) => version.ToString(CultureInfo.InvariantCulture);
}
