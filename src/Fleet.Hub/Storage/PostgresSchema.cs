namespace Fleet.Hub.Storage;

/// <summary>
/// The hub's PostgreSQL schema as an ordered list of migrations, the counterpart of
/// <see cref="SqliteSchema"/> with the same tables and columns. A migration is never edited once
/// released: a database remembers which versions it has applied (table <c>schema_version</c>) and
/// only later ones run, so a change to the schema is always a new entry at the end.
/// </summary>
/// <remarks>
/// Grain state is <c>json</c>, not <c>jsonb</c>: <c>json</c> keeps the text exactly as the hub wrote
/// it (the same bytes as in SQLite) and still lets an operator query it with <c>-&gt;&gt;</c>, while
/// <c>jsonb</c> would reorder keys and refuse <c>\u0000</c> in strings. Security times are Unix
/// milliseconds (UTC) as in SQLite, so both backends share one mapping; reminder start times are
/// <c>timestamptz</c>, which Orleans' own ADO.NET schema also uses and psql shows readably.
/// </remarks>
internal static class PostgresSchema
{
    public static IReadOnlyList<SchemaMigration> Migrations { get; } =
    [
        new(1, """
            CREATE TABLE IF NOT EXISTS grain_state (
                grain_type text        NOT NULL,
                grain_id   text        NOT NULL,
                state_name text        NOT NULL,
                etag       bigint      NOT NULL,
                data       json        NOT NULL,
                updated_at timestamptz NOT NULL,
                PRIMARY KEY (grain_type, grain_id, state_name)
            );

            CREATE TABLE IF NOT EXISTS reminders (
                grain_id      text        NOT NULL,
                reminder_name text        NOT NULL,
                grain_hash    bigint      NOT NULL,
                start_time    timestamptz NOT NULL,
                period_ms     bigint      NOT NULL,
                etag          bigint      NOT NULL,
                PRIMARY KEY (grain_id, reminder_name)
            );

            -- The reminder service of each silo reads its slice of the hash ring at start and on refresh.
            CREATE INDEX IF NOT EXISTS reminders_by_hash ON reminders (grain_hash);
            """),
        new(2, """
            CREATE TABLE IF NOT EXISTS security_tokens (
                id          text   PRIMARY KEY,
                secret_hash bytea  NOT NULL,
                role        text   NOT NULL,
                description text   NOT NULL,
                target      text,
                created_at  bigint NOT NULL,
                expires_at  bigint,
                used_at     bigint,
                revoked_at  bigint,
                created_by  text   NOT NULL
            );

            CREATE TABLE IF NOT EXISTS agent_certificates (
                serial     text   PRIMARY KEY,
                target     text   NOT NULL,
                not_before bigint NOT NULL,
                not_after  bigint NOT NULL,
                issued_at  bigint NOT NULL,
                revoked_at bigint
            );

            CREATE INDEX IF NOT EXISTS agent_certificates_by_target ON agent_certificates (target);

            CREATE TABLE IF NOT EXISTS audit_log (
                seq     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                at      bigint NOT NULL,
                who     text   NOT NULL,
                role    text   NOT NULL,
                method  text   NOT NULL,
                object  text   NOT NULL,
                outcome text   NOT NULL,
                detail  text   NOT NULL
            );

            CREATE INDEX IF NOT EXISTS audit_log_by_time ON audit_log (at);
            """),
        // The Orleans cluster's membership (PostgresMembershipTable): one version row per cluster, whose
        // etag every change of a member row must match and bump (the table-version protocol Orleans'
        // membership relies on), and one row per silo incarnation (address, port, generation).
        new(3, """
            CREATE TABLE IF NOT EXISTS membership_version (
                cluster_id text        PRIMARY KEY,
                version    integer     NOT NULL,
                etag       bigint      NOT NULL,
                updated_at timestamptz NOT NULL
            );

            CREATE TABLE IF NOT EXISTS membership (
                cluster_id    text        NOT NULL REFERENCES membership_version (cluster_id) ON DELETE CASCADE,
                address       text        NOT NULL,
                port          integer     NOT NULL,
                generation    integer     NOT NULL,
                silo_name     text        NOT NULL,
                host_name     text        NOT NULL,
                status        integer     NOT NULL,
                proxy_port    integer     NOT NULL,
                suspect_times text        NOT NULL,
                start_time    timestamptz NOT NULL,
                i_am_alive    timestamptz NOT NULL,
                etag          bigint      NOT NULL,
                PRIMARY KEY (cluster_id, address, port, generation)
            );
            """),
        // Several hubs on one database (--cluster-id): every table gets the cluster's ID first in its primary
        // key and indexes, and every statement is scoped by it (ClusterScope). Rows written before belong
        // to the default cluster 'fleet', so an upgrade loses nothing. Safe to run twice: each key is dropped
        // (IF EXISTS) before it is made again. cluster_ca holds the CA of a cluster whose hub generated it
        // (certificate and key) or the certificate of the operator's CA (no key), so all its nodes share one.
        new(4, """
            ALTER TABLE grain_state ADD COLUMN IF NOT EXISTS cluster_id text NOT NULL DEFAULT 'fleet';
            ALTER TABLE grain_state DROP CONSTRAINT IF EXISTS grain_state_pkey;
            ALTER TABLE grain_state ADD CONSTRAINT grain_state_pkey PRIMARY KEY (cluster_id, grain_type, grain_id, state_name);

            ALTER TABLE reminders ADD COLUMN IF NOT EXISTS cluster_id text NOT NULL DEFAULT 'fleet';
            ALTER TABLE reminders DROP CONSTRAINT IF EXISTS reminders_pkey;
            ALTER TABLE reminders ADD CONSTRAINT reminders_pkey PRIMARY KEY (cluster_id, grain_id, reminder_name);
            DROP INDEX IF EXISTS reminders_by_hash;
            CREATE INDEX reminders_by_hash ON reminders (cluster_id, grain_hash);

            ALTER TABLE security_tokens ADD COLUMN IF NOT EXISTS cluster_id text NOT NULL DEFAULT 'fleet';
            ALTER TABLE security_tokens DROP CONSTRAINT IF EXISTS security_tokens_pkey;
            ALTER TABLE security_tokens ADD CONSTRAINT security_tokens_pkey PRIMARY KEY (cluster_id, id);

            ALTER TABLE agent_certificates ADD COLUMN IF NOT EXISTS cluster_id text NOT NULL DEFAULT 'fleet';
            ALTER TABLE agent_certificates DROP CONSTRAINT IF EXISTS agent_certificates_pkey;
            ALTER TABLE agent_certificates ADD CONSTRAINT agent_certificates_pkey PRIMARY KEY (cluster_id, serial);
            DROP INDEX IF EXISTS agent_certificates_by_target;
            CREATE INDEX agent_certificates_by_target ON agent_certificates (cluster_id, target);

            ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS cluster_id text NOT NULL DEFAULT 'fleet';
            ALTER TABLE audit_log DROP CONSTRAINT IF EXISTS audit_log_pkey;
            ALTER TABLE audit_log ADD CONSTRAINT audit_log_pkey PRIMARY KEY (cluster_id, seq);
            DROP INDEX IF EXISTS audit_log_by_time;
            CREATE INDEX audit_log_by_time ON audit_log (cluster_id, at);

            CREATE TABLE IF NOT EXISTS cluster_ca (
                cluster_id  text        PRIMARY KEY,
                certificate text        NOT NULL,
                private_key text,
                fingerprint text        NOT NULL,
                created_at  timestamptz NOT NULL
            );
            """),
        // Labels fixed at enrollment (see SqliteSchema version 3), scoped by cluster like every table.
        new(5, """
            CREATE TABLE IF NOT EXISTS token_label_policies (
                cluster_id text NOT NULL,
                token_id   text NOT NULL,
                labels     text,
                label_keys text NOT NULL,
                driver     text,
                PRIMARY KEY (cluster_id, token_id)
            );

            CREATE TABLE IF NOT EXISTS target_identities (
                cluster_id  text   NOT NULL,
                target      text   NOT NULL,
                labels      text,
                label_keys  text   NOT NULL,
                driver      text,
                token_id    text   NOT NULL,
                enrolled_at bigint NOT NULL,
                PRIMARY KEY (cluster_id, target)
            );
            """),
    ];

    public static int LatestVersion => Migrations[^1].Version;
}
