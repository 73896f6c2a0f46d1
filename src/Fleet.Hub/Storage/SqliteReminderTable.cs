using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Fleet.Hub.Storage;

/// <summary>
/// Orleans' reminder table in the embedded SQLite database (table <c>reminders</c>), so that
/// reminders survive a hub restart. Each row keeps the grain's uniform hash, which is how the
/// reminder service of a silo asks for its slice of the ring.
/// </summary>
/// <remarks>
/// The ETag is the row's version: an upsert increments it, a removal succeeds only with the
/// current one (a grain removing a reminder that was meanwhile re-registered removes nothing).
/// </remarks>
internal sealed class SqliteReminderTable(SqliteDatabase database) : IReminderTable
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
            $"{SelectColumns} WHERE grain_id = $grainId;",
            command => command.Parameters.AddWithValue("$grainId", grainId.ToString()),
            cancellationToken).ConfigureAwait(false);
        return new ReminderTableData(rows);
    }

    public async Task<ReminderTableData> ReadRows(uint begin, uint end, CancellationToken cancellationToken)
    {
        // The range is (begin, end] on the ring; begin >= end wraps around past uint.MaxValue
        // (and begin == end is the whole ring).
        var condition = begin < end
            ? "grain_hash > $begin AND grain_hash <= $end"
            : "grain_hash > $begin OR grain_hash <= $end";
        var rows = await QueryAsync(
            $"{SelectColumns} WHERE {condition};",
            command =>
            {
                command.Parameters.AddWithValue("$begin", (long)begin);
                command.Parameters.AddWithValue("$end", (long)end);
            },
            cancellationToken).ConfigureAwait(false);
        return new ReminderTableData(rows);
    }

    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            $"{SelectColumns} WHERE grain_id = $grainId AND reminder_name = $name;",
            command =>
            {
                command.Parameters.AddWithValue("$grainId", grainId.ToString());
                command.Parameters.AddWithValue("$name", reminderName);
            },
            cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<string?> UpsertRow(ReminderEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var grainId = entry.GrainId.ToString();
        var grainHash = (long)entry.GrainId.GetUniformHashCode();
        var startTime = FormatTime(entry.StartAt);
        var periodMs = (long)entry.Period.TotalMilliseconds;
        var etag = await database.WriteAsync(
            transaction =>
            {
                using var command = transaction.CreateCommand("""
                    INSERT INTO reminders (grain_id, reminder_name, grain_hash, start_time, period_ms, etag)
                    VALUES ($grainId, $name, $hash, $startTime, $periodMs, 1)
                    ON CONFLICT (grain_id, reminder_name) DO UPDATE SET
                        grain_hash = excluded.grain_hash,
                        start_time = excluded.start_time,
                        period_ms = excluded.period_ms,
                        etag = reminders.etag + 1
                    RETURNING etag;
                    """);
                command.Parameters.AddWithValue("$grainId", grainId);
                command.Parameters.AddWithValue("$name", entry.ReminderName);
                command.Parameters.AddWithValue("$hash", grainHash);
                command.Parameters.AddWithValue("$startTime", startTime);
                command.Parameters.AddWithValue("$periodMs", periodMs);
                return (long)command.ExecuteScalar()!;
            },
            cancellationToken).ConfigureAwait(false);
        return FormatEtag(etag);
    }

    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag, CancellationToken cancellationToken)
    {
        if (!long.TryParse(eTag, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return false;
        }

        var key = grainId.ToString();
        return await database.WriteAsync(
            transaction =>
            {
                using var command = transaction.CreateCommand(
                    "DELETE FROM reminders WHERE grain_id = $grainId AND reminder_name = $name AND etag = $etag;");
                command.Parameters.AddWithValue("$grainId", key);
                command.Parameters.AddWithValue("$name", reminderName);
                command.Parameters.AddWithValue("$etag", version);
                return command.ExecuteNonQuery() == 1;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public Task TestOnlyClearTable(CancellationToken cancellationToken) =>
        database.WriteAsync(
            transaction =>
            {
                using var command = transaction.CreateCommand("DELETE FROM reminders;");
                return command.ExecuteNonQuery();
            },
            cancellationToken);

    private async Task<List<ReminderEntry>> QueryAsync(
        string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<ReminderEntry>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new ReminderEntry
            {
                GrainId = GrainId.Parse(reader.GetString(0)),
                ReminderName = reader.GetString(1),
                StartAt = ParseTime(reader.GetString(2)),
                Period = TimeSpan.FromMilliseconds(reader.GetInt64(3)),
                ETag = FormatEtag(reader.GetInt64(4)),
            });
        }

        return rows;
    }


    // Round-trip ("O") UTC text: exact to the tick and readable with the sqlite3 shell.
    // Orleans computes StartAt from DateTime.UtcNow; an unspecified kind is taken as UTC too.
    private static string FormatTime(DateTime time) =>
        (time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time.ToUniversalTime())
            .ToString("O", CultureInfo.InvariantCulture);

    private static DateTime ParseTime(string text) =>
        DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static string FormatEtag(long version) => version.ToString(CultureInfo.InvariantCulture);
}
