using System.Data.Common;

namespace Fleet.Hub.Storage;

/// <summary>
/// Orleans' reminder table in PostgreSQL (table <c>reminders</c>), with the semantics and row format
/// of <see cref="DbReminderTable"/>, as <see cref="SqliteReminderTable"/>. Each write is one
/// statement (its own transaction).
/// </summary>
internal sealed class PostgresReminderTable(PostgresDatabase database) : DbReminderTable(database.Scope)
{
    public override Task StartAsync(CancellationToken cancellationToken = default) => database.InitializeAsync(cancellationToken);

    public override async Task TestOnlyClearTable(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // This cluster's reminders only: other hubs may share the database.
        await using var command = Scope.Bind(connection.CreateCommand(null, $"DELETE FROM reminders WHERE {Scope.Filter}TRUE;"));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task<long> UpsertAsync(ReminderRow row, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // Npgsql writes only UTC DateTimes to timestamptz; the row's start is UTC already.
        await using var command = CreateUpsertCommand(connection, null, row, row.StartAt);

        // Not cancellable once sent: the caller must learn whether the reminder was stored.
        return (long)(await command.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false))!;
    }

    protected override async Task<bool> RemoveAsync(string grainId, string reminderName, long version, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = CreateRemoveCommand(connection, null, grainId, reminderName, version);
        return await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false) == 1;
    }

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await database.OpenAsync(cancellationToken).ConfigureAwait(false);

    // timestamptz comes back as a UTC DateTime.
    protected override DateTime ReadStartTime(DbDataReader reader, int ordinal) => reader.GetDateTime(ordinal);
}
