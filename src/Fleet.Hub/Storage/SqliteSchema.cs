namespace Fleet.Hub.Storage;

/// <summary>
/// The hub's embedded schema as an ordered list of migrations. A migration is never edited once
/// released: a data directory remembers which versions it has applied (table <c>schema_version</c>)
/// and only later ones run, so a change to the schema is always a new entry at the end.
/// </summary>
internal static class SqliteSchema
{
    public static IReadOnlyList<SchemaMigration> Migrations { get; } =
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
        // Security: tokens (hashed secrets only), the agent certificates the hub issued (revocation
        // marks them) and the audit log. Times are Unix milliseconds (UTC), so they sort and compare as numbers.
        new(2, """
            CREATE TABLE IF NOT EXISTS security_tokens (
                id          TEXT PRIMARY KEY,
                secret_hash BLOB NOT NULL,
                role        TEXT NOT NULL,
                description TEXT NOT NULL,
                target      TEXT,
                created_at  INTEGER NOT NULL,
                expires_at  INTEGER,
                used_at     INTEGER,
                revoked_at  INTEGER,
                created_by  TEXT NOT NULL
            ) WITHOUT ROWID;

            CREATE TABLE IF NOT EXISTS agent_certificates (
                serial     TEXT PRIMARY KEY,
                target     TEXT NOT NULL,
                not_before INTEGER NOT NULL,
                not_after  INTEGER NOT NULL,
                issued_at  INTEGER NOT NULL,
                revoked_at INTEGER
            ) WITHOUT ROWID;

            CREATE INDEX IF NOT EXISTS agent_certificates_by_target ON agent_certificates (target);

            CREATE TABLE IF NOT EXISTS audit_log (
                seq     INTEGER PRIMARY KEY AUTOINCREMENT,
                at      INTEGER NOT NULL,
                who     TEXT NOT NULL,
                role    TEXT NOT NULL,
                method  TEXT NOT NULL,
                object  TEXT NOT NULL,
                outcome TEXT NOT NULL,
                detail  TEXT NOT NULL
            );

            CREATE INDEX IF NOT EXISTS audit_log_by_time ON audit_log (at);
            """),
        // Labels fixed at enrollment: what an agent token fixes about the target it enrolls (labels as a
        // JSON object, NULL = the agent asserts them; the keys the agent may set, a JSON array; the driver,
        // NULL = any), and that policy copied to the target's identity when the token enrolls it. Tables
        // of their own, so the migration is safe to run twice and a trusting token has no row.
        new(3, """
            CREATE TABLE IF NOT EXISTS token_label_policies (
                token_id   TEXT PRIMARY KEY,
                labels     TEXT,
                label_keys TEXT NOT NULL,
                driver     TEXT
            ) WITHOUT ROWID;

            CREATE TABLE IF NOT EXISTS target_identities (
                target      TEXT PRIMARY KEY,
                labels      TEXT,
                label_keys  TEXT NOT NULL,
                driver      TEXT,
                token_id    TEXT NOT NULL,
                enrolled_at INTEGER NOT NULL
            ) WITHOUT ROWID;
            """),
    ];

    public static int LatestVersion => Migrations[^1].Version;
}
