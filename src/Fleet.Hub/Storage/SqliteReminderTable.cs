using System.Data.Common;
using System.Globalization;

namespace Fleet.Hub.Storage;

/// <summary>
/// Orleans' reminder table in the embedded SQLite database (table <c>reminders</c>), so that
/// reminders survive a hub restart; the row format and ETags are <see cref="DbReminderTable"/>'s.
/// Writes go through the group-commit writer of <see cref="SqliteDatabase"/>.
/// </summary>
internal sealed class SqliteReminderTable(SqliteDatabase database) : DbReminderTable(ClusterScope.Unscoped)
{
    public override Task StartAsync(CancellationToken cancellationToken = default) => database.InitializeAsync(cancellationToken);

    public override Task TestOnlyClearTable(CancellationToken cancellationToken) =>
        database.WriteAsync(
            transaction =>
            {
                using var command = transaction.CreateCommand("DELETE FROM reminders;");
                return command.ExecuteNonQuery();
            },
            cancellationToken);

    protected override Task<long> UpsertAsync(ReminderRow row, CancellationToken cancellationToken)
    {
        var startTime = FormatTime(row.StartAt);
        return database.WriteAsync(
            transaction =>
            {
                using var command = CreateUpsertCommand(transaction.Connection!, transaction, row, startTime);
                return (long)command.ExecuteScalar()!;
            },
            cancellationToken);
    }

    protected override Task<bool> RemoveAsync(string grainId, string reminderName, long version, CancellationToken cancellationToken) =>
        database.WriteAsync(
            transaction =>
            {
                using var command = CreateRemoveCommand(transaction.Connection!, transaction, grainId, reminderName, version);
                return command.ExecuteNonQuery() == 1;
            },
            cancellationToken);

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await database.OpenAsync(cancellationToken).ConfigureAwait(false);

    protected override DateTime ReadStartTime(DbDataReader reader, int ordinal) => ParseTime(reader.GetString(ordinal));

    // Round-trip ("O") UTC text: exact to the tick and readable with the sqlite3 shell.
    private static string FormatTime(DateTime utc) => utc.ToString("O", CultureInfo.InvariantCulture);

    private static DateTime ParseTime(string text) =>
        DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
