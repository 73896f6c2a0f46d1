namespace Fleet.Hub.Storage;

/// <summary>
/// The hub's embedded schema as an ordered list of migrations. A migration is never edited once
/// released: a data directory remembers which versions it has applied (table <c>schema_version</c>)
/// and only later ones run, so a change to the schema is always a new entry at the end.
/// </summary>
internal static class SqliteSchema
{
    public static IReadOnlyList<SqliteMigration> Migrations { get; } =
    [
        new(1, """
            CREATE TABLE IF NOT EXISTS grain_state (
                grain_type TEXT NOT NULL,
                grain_id   TEXT NOT NULL,
                state_name TEXT NOT NULL,
                etag       INTEGER NOT NULL,
                data       TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (grain_type, grain_id, state_name)
            ) WITHOUT ROWID;

            CREATE TABLE IF NOT EXISTS reminders (
                grain_id      TEXT NOT NULL,
                reminder_name TEXT NOT NULL,
                grain_hash    INTEGER NOT NULL,
                start_time    TEXT NOT NULL,
                period_ms     INTEGER NOT NULL,
                etag          INTEGER NOT NULL,
                PRIMARY KEY (grain_id, reminder_name)
            ) WITHOUT ROWID;

            -- The reminder service of each silo reads its slice of the hash ring at start and on refresh.
            CREATE INDEX IF NOT EXISTS reminders_by_hash ON reminders (grain_hash);
            """),
    ];

    public static int LatestVersion => Migrations[^1].Version;
}
