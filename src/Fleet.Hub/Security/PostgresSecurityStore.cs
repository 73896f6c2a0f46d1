using Fleet.Hub.Storage;
using Npgsql;

namespace Fleet.Hub.Security;

/// <summary>
/// Tokens, issued agent certificates and the audit log in PostgreSQL (<c>--storage postgres</c>),
/// in the same tables and columns as <see cref="SqliteSecurityStore"/>. Every write is one committed
/// transaction before its task completes. Several hub nodes may share the database: enrollment locks
/// what it decides on (see <see cref="ConsumeEnrollmentToken"/>).
/// </summary>
internal sealed class PostgresSecurityStore(PostgresDatabase database) : ISecurityStore
{
    private const string TokenColumns = "id, secret_hash, role, description, target, created_at, expires_at, used_at, revoked_at, created_by";

    public async Task InsertToken(StoredToken token)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand($"""
            INSERT INTO security_tokens ({TokenColumns})
            VALUES (@id, @hash, @role, @description, @target, @created, @expires, NULL, NULL, @createdBy);
            """, connection);
        command.Parameters.AddWithValue("id", token.Id);
        command.Parameters.AddWithValue("hash", token.SecretHash);
        command.Parameters.AddWithValue("role", FleetRoles.Name(token.Role));
        command.Parameters.AddWithValue("description", token.Description);
        command.Parameters.Add(Text("target", token.Target));
        command.Parameters.AddWithValue("created", Ms(token.Created));
        command.Parameters.Add(Ms("expires", token.Expires));
        command.Parameters.AddWithValue("createdBy", token.CreatedBy);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<StoredToken?> FindToken(string id)
    {
        await using var connection = await database.OpenAsync();
        return await FindToken(connection, null, id, forUpdate: false);
    }

    public async Task<IReadOnlyList<StoredToken>> ListTokens()
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT {TokenColumns} FROM security_tokens ORDER BY created_at, id;", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var tokens = new List<StoredToken>();
        while (await reader.ReadAsync())
        {
            tokens.Add(ReadToken(reader));
        }

        return tokens;
    }

    public async Task<bool> RevokeToken(string id, DateTimeOffset now)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand("UPDATE security_tokens SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL;", connection);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("now", Ms(now));
        return await command.ExecuteNonQueryAsync() > 0;
    }

    public async Task<int> RevokeAdminTokens(DateTimeOffset now)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand("UPDATE security_tokens SET revoked_at = @now WHERE role = 'admin' AND revoked_at IS NULL;", connection);
        command.Parameters.AddWithValue("now", Ms(now));
        return await command.ExecuteNonQueryAsync();
    }

    public async Task<bool> HasUsableAdminToken(DateTimeOffset now)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT EXISTS (
                SELECT 1 FROM security_tokens
                WHERE role = 'admin' AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > @now));
            """, connection);
        command.Parameters.AddWithValue("now", Ms(now));
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    /// <remarks>
    /// Serialised per target by a transaction-level advisory lock, and per token by <c>FOR UPDATE</c>:
    /// two enrollments with one token, or with two unbound tokens for one target (on any hub nodes),
    /// run one after the other, and the second sees what the first committed.
    /// </remarks>
    public Task<EnrollmentRefusal> ConsumeEnrollmentToken(string id, byte[] hash, IssuedCertificate certificate, DateTimeOffset now) =>
        database.InTransactionAsync(async (connection, transaction, _) =>
        {
            await using (var lockTarget = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('fleet-enroll:' || @target, 0));", connection, transaction))
            {
                lockTarget.Parameters.AddWithValue("target", certificate.Target);
                await lockTarget.ExecuteNonQueryAsync();
            }

            var token = await FindToken(connection, transaction, id, forUpdate: true);
            var refusal = EnrollmentRules.Check(
                token, hash, certificate.Target, now,
                targetHasValidCertificate: token is { Target: null } && await HasValidCertificate(connection, transaction, certificate.Target, now));
            if (refusal != EnrollmentRefusal.None)
            {
                return refusal;
            }

            await using (var use = new NpgsqlCommand("UPDATE security_tokens SET used_at = @now WHERE id = @id;", connection, transaction))
            {
                use.Parameters.AddWithValue("id", id);
                use.Parameters.AddWithValue("now", Ms(now));
                await use.ExecuteNonQueryAsync();
            }

            await Insert(connection, transaction, certificate);
            return EnrollmentRefusal.None;
        });

    public async Task InsertCertificate(IssuedCertificate certificate)
    {
        await using var connection = await database.OpenAsync();
        await Insert(connection, null, certificate);
    }

    public async Task<IssuedCertificate?> FindCertificate(string serial)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT serial, target, not_before, not_after, issued_at, revoked_at FROM agent_certificates WHERE serial = @serial;", connection);
        command.Parameters.AddWithValue("serial", serial);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new IssuedCertificate(reader.GetString(0), reader.GetString(1), At(reader, 2)!.Value, At(reader, 3)!.Value, At(reader, 4)!.Value, At(reader, 5))
            : null;
    }

    public Task<(int Certificates, int Tokens)> RevokeTarget(string target, DateTimeOffset now) =>
        database.InTransactionAsync(async (connection, transaction, _) =>
        {
            int certificateCount;
            await using (var certificates = new NpgsqlCommand("""
                UPDATE agent_certificates SET revoked_at = @now
                WHERE target = @target AND revoked_at IS NULL AND not_after > @now;
                """, connection, transaction))
            {
                certificates.Parameters.AddWithValue("target", target);
                certificates.Parameters.AddWithValue("now", Ms(now));
                certificateCount = await certificates.ExecuteNonQueryAsync();
            }

            // Expired ones too: nothing issued to this target before now may ever be accepted again.
            await using (var rest = new NpgsqlCommand("UPDATE agent_certificates SET revoked_at = @now WHERE target = @target AND revoked_at IS NULL;", connection, transaction))
            {
                rest.Parameters.AddWithValue("target", target);
                rest.Parameters.AddWithValue("now", Ms(now));
                await rest.ExecuteNonQueryAsync();
            }

            await using var tokens = new NpgsqlCommand("""
                UPDATE security_tokens SET revoked_at = @now
                WHERE target = @target AND role = 'agent' AND used_at IS NULL AND revoked_at IS NULL;
                """, connection, transaction);
            tokens.Parameters.AddWithValue("target", target);
            tokens.Parameters.AddWithValue("now", Ms(now));
            return (certificateCount, await tokens.ExecuteNonQueryAsync());
        });

    public async Task<long> AppendAudit(AuditRecord record)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO audit_log (at, who, role, method, object, outcome, detail)
            VALUES (@at, @who, @role, @method, @object, @outcome, @detail)
            RETURNING seq;
            """, connection);
        command.Parameters.AddWithValue("at", Ms(record.Time));
        command.Parameters.AddWithValue("who", record.Who);
        command.Parameters.AddWithValue("role", record.Role);
        command.Parameters.AddWithValue("method", record.Method);
        command.Parameters.AddWithValue("object", record.Object);
        command.Parameters.AddWithValue("outcome", record.Outcome);
        command.Parameters.AddWithValue("detail", record.Detail);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task CompleteAudit(long sequence, string outcome, string @object, string detail)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand("""
            UPDATE audit_log SET outcome = @outcome, detail = @detail, object = CASE WHEN @object = '' THEN object ELSE @object END
            WHERE seq = @seq;
            """, connection);
        command.Parameters.AddWithValue("seq", sequence);
        command.Parameters.AddWithValue("outcome", outcome);
        command.Parameters.AddWithValue("object", @object);
        command.Parameters.AddWithValue("detail", detail);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<IReadOnlyList<AuditRecord>> ListAudit(DateTimeOffset? since, int limit)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT seq, at, who, role, method, object, outcome, detail FROM (
                SELECT * FROM audit_log WHERE at >= @since ORDER BY seq DESC LIMIT @limit
            ) AS newest ORDER BY seq;
            """, connection);
        command.Parameters.AddWithValue("since", since is null ? 0L : Ms(since.Value));
        command.Parameters.AddWithValue("limit", (long)limit);
        await using var reader = await command.ExecuteReaderAsync();
        var records = new List<AuditRecord>();
        while (await reader.ReadAsync())
        {
            records.Add(new AuditRecord(
                reader.GetInt64(0), At(reader, 1)!.Value, reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetString(7)));
        }

        return records;
    }

    private static async Task<StoredToken?> FindToken(NpgsqlConnection connection, NpgsqlTransaction? transaction, string id, bool forUpdate)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {TokenColumns} FROM security_tokens WHERE id = @id{(forUpdate ? " FOR UPDATE" : "")};", connection, transaction);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? ReadToken(reader) : null;
    }

    private static async Task<bool> HasValidCertificate(NpgsqlConnection connection, NpgsqlTransaction transaction, string target, DateTimeOffset now)
    {
        await using var command = new NpgsqlCommand("""
            SELECT EXISTS (SELECT 1 FROM agent_certificates WHERE target = @target AND revoked_at IS NULL AND not_after > @now);
            """, connection, transaction);
        command.Parameters.AddWithValue("target", target);
        command.Parameters.AddWithValue("now", Ms(now));
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private static async Task Insert(NpgsqlConnection connection, NpgsqlTransaction? transaction, IssuedCertificate certificate)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO agent_certificates (serial, target, not_before, not_after, issued_at, revoked_at)
            VALUES (@serial, @target, @notBefore, @notAfter, @issued, NULL);
            """, connection, transaction);
        command.Parameters.AddWithValue("serial", certificate.Serial);
        command.Parameters.AddWithValue("target", certificate.Target);
        command.Parameters.AddWithValue("notBefore", Ms(certificate.NotBefore));
        command.Parameters.AddWithValue("notAfter", Ms(certificate.NotAfter));
        command.Parameters.AddWithValue("issued", Ms(certificate.Issued));
        await command.ExecuteNonQueryAsync();
    }

    private static StoredToken ReadToken(NpgsqlDataReader reader)
    {
        FleetRoles.TryParse(reader.GetString(2), out var role);
        return new StoredToken(
            reader.GetString(0),
            (byte[])reader.GetValue(1),
            role,
            reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetString(4),
            At(reader, 5)!.Value,
            At(reader, 6),
            At(reader, 7),
            At(reader, 8),
            reader.GetString(9));
    }

    // Typed parameters for NULLs: an untyped DBNull gives PostgreSQL no type to infer.
    private static NpgsqlParameter Text(string name, string? value) =>
        new(name, NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter Ms(string name, DateTimeOffset? time) =>
        new(name, NpgsqlTypes.NpgsqlDbType.Bigint) { Value = time is { } t ? t.ToUnixTimeMilliseconds() : DBNull.Value };

    private static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static DateTimeOffset? At(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
}
