namespace Fleet.Hub.Storage;

public static class SqliteStorageSiloBuilderExtensions
{
    /// <summary>The grain storage name for <c>[PersistentState(name, GrainStorageName)]</c>.</summary>
    public const string GrainStorageName = "fleet";

    /// <summary>
    /// The embedded storage of a single hub node: grain state and reminders in
    /// <c>&lt;dataDirectory&gt;/fleet.db</c> (created if missing). Registers the grain storage as
    /// <see cref="GrainStorageName"/> and as the default, and the reminder service on a SQLite
    /// reminder table.
    /// </summary>
    public static ISiloBuilder AddFleetSqliteStorage(this ISiloBuilder builder, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);

        return builder.AddStorageBackend<SqliteDatabase, SqliteGrainStorage, SqliteReminderTable>(
            sp => new SqliteDatabase(dataDirectory, sp.GetRequiredService<ILogger<SqliteDatabase>>()));
    }
}
