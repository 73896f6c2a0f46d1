using Fleet.Hub.Storage;
using Microsoft.Data.Sqlite;

namespace Fleet.Hub.Security;

/// <summary>
/// Tokens, issued agent certificates and the audit log, in the hub's embedded database. Every write
/// goes through the group-commit writer, so it is on disk (fsynced) before the call that made it is
/// answered; reads use pooled connections beside it.
/// </summary>
internal sealed class SqliteSecurityStore(SqliteDatabase database) : ISecurityStore
{
    private const string TokenColumns = "id, secret_hash, role, description, target, created_at, expires_at, used_at, revoked_at, created_by";

    public Task InsertToken(StoredToken token) => database.WriteAsync(transaction =>
    {
        using var command = transaction.CreateCommand($"""
            INSERT INTO security_tokens ({TokenColumns})
            VALUES ($id, $hash, $role, $description, $target, $created, $expires, NULL, NULL, $createdBy);
            """);
        command.Parameters.AddWithValue("$id", token.Id);
        command.Parameters.AddWithValue("$hash", token.SecretHash);
        command.Parameters.AddWithValue("$role", FleetRoles.Name(token.Role));
        command.Parameters.AddWithValue("$description", token.Description);
        command.Parameters.AddWithValue("$target", (object?)token.Target ?? DBNull.Value);
        command.Parameters.AddWithValue("$created", Ms(token.Created));
        command.Parameters.AddWithValue("$expires", Ms(token.Expires));
        command.Parameters.AddWithValue("$createdBy", token.CreatedBy);
        return command.ExecuteNonQuery();
    });

    public async Task<StoredToken?> FindToken(string id)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {TokenColumns} FROM security_tokens WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? ReadToken(reader) : null;
    }

    public async Task<IReadOnlyList<StoredToken>> ListTokens()
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {TokenColumns} FROM security_tokens ORDER BY created_at, id;";
        await using var reader = await command.ExecuteReaderAsync();
        var tokens = new List<StoredToken>();
        while (await reader.ReadAsync())
        {
            tokens.Add(ReadToken(reader));
        }

        return tokens;
    }

    public Task<bool> RevokeToken(string id, DateTimeOffset now) => database.WriteAsync(transaction =>
    {
        using var command = transaction.CreateCommand("UPDATE security_tokens SET revoked_at = $now WHERE id = $id AND revoked_at IS NULL;");
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$now", Ms(now));
        return command.ExecuteNonQuery() > 0;
    });

    public Task<int> RevokeAdminTokens(DateTimeOffset now) => database.WriteAsync(transaction =>
    {
        using var command = transaction.CreateCommand("UPDATE security_tokens SET revoked_at = $now WHERE role = 'admin' AND revoked_at IS NULL;");
        command.Parameters.AddWithValue("$now", Ms(now));
        return command.ExecuteNonQuery();
    });

    public async Task<bool> HasUsableAdminToken(DateTimeOffset now)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT COUNT(*) FROM security_tokens
            WHERE role = 'admin' AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $now);
            """;
        command.Parameters.AddWithValue("$now", Ms(now));
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    // One transaction on the single writer: two enrollments racing cannot both win, they run in turn.
    public Task<EnrollmentRefusal> ConsumeEnrollmentToken(string id, byte[] hash, IssuedCertificate certificate, DateTimeOffset now) =>
        database.WriteAsync(transaction =>
        {
            StoredToken? token;
            using (var find = transaction.CreateCommand($"SELECT {TokenColumns} FROM security_tokens WHERE id = $id;"))
            {
                find.Parameters.AddWithValue("$id", id);
                using var reader = find.ExecuteReader();
                token = reader.Read() ? ReadToken(reader) : null;
            }

            var refusal = EnrollmentRules.Check(
                token, hash, certificate.Target, now,
                targetHasValidCertificate: token is { Target: null } && CountValidCertificates(transaction, certificate.Target, now) > 0);
            if (refusal != EnrollmentRefusal.None)
            {
                return refusal;
            }

            using (var use = transaction.CreateCommand("UPDATE security_tokens SET used_at = $now WHERE id = $id;"))
            {
                use.Parameters.AddWithValue("$id", id);
                use.Parameters.AddWithValue("$now", Ms(now));
                use.ExecuteNonQuery();
            }

            Insert(transaction, certificate);
            return EnrollmentRefusal.None;
        });

    public Task InsertCertificate(IssuedCertificate certificate) =>
        database.WriteAsync(transaction =>
        {
            Insert(transaction, certificate);
            return 0;
        });

    public async Task<IssuedCertificate?> FindCertificate(string serial)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT serial, target, not_before, not_after, issued_at, revoked_at FROM agent_certificates WHERE serial = $serial;";
        command.Parameters.AddWithValue("$serial", serial);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new IssuedCertificate(reader.GetString(0), reader.GetString(1), At(reader, 2)!.Value, At(reader, 3)!.Value, At(reader, 4)!.Value, At(reader, 5))
            : null;
    }

    public Task<(int Certificates, int Tokens)> RevokeTarget(string target, DateTimeOffset now) =>
        database.WriteAsync(transaction =>
        {
            using var certificates = transaction.CreateCommand("""
                UPDATE agent_certificates SET revoked_at = $now
                WHERE target = $target AND revoked_at IS NULL AND not_after > $now;
                """);
            certificates.Parameters.AddWithValue("$target", target);
            certificates.Parameters.AddWithValue("$now", Ms(now));
            var certificateCount = certificates.ExecuteNonQuery();

            // Expired ones too: nothing issued to this target before now may ever be accepted again.
            using var rest = transaction.CreateCommand("UPDATE agent_certificates SET revoked_at = $now WHERE target = $target AND revoked_at IS NULL;");
            rest.Parameters.AddWithValue("$target", target);
            rest.Parameters.AddWithValue("$now", Ms(now));
            rest.ExecuteNonQuery();

            using var tokens = transaction.CreateCommand("""
                UPDATE security_tokens SET revoked_at = $now
                WHERE target = $target AND role = 'agent' AND used_at IS NULL AND revoked_at IS NULL;
                """);
            tokens.Parameters.AddWithValue("$target", target);
            tokens.Parameters.AddWithValue("$now", Ms(now));
            return (certificateCount, tokens.ExecuteNonQuery());
        });

    public Task<long> AppendAudit(AuditRecord record) => database.WriteAsync(transaction =>
    {
        using var command = transaction.CreateCommand("""
            INSERT INTO audit_log (at, who, role, method, object, outcome, detail)
            VALUES ($at, $who, $role, $method, $object, $outcome, $detail)
            RETURNING seq;
            """);
        command.Parameters.AddWithValue("$at", Ms(record.Time));
        command.Parameters.AddWithValue("$who", record.Who);
        command.Parameters.AddWithValue("$role", record.Role);
        command.Parameters.AddWithValue("$method", record.Method);
        command.Parameters.AddWithValue("$object", record.Object);
        command.Parameters.AddWithValue("$outcome", record.Outcome);
        command.Parameters.AddWithValue("$detail", record.Detail);
        return (long)command.ExecuteScalar()!;
    });

    public Task CompleteAudit(long sequence, string outcome, string @object, string detail) => database.WriteAsync(transaction =>
    {
        using var command = transaction.CreateCommand("""
            UPDATE audit_log SET outcome = $outcome, detail = $detail, object = CASE WHEN $object = '' THEN object ELSE $object END
            WHERE seq = $seq;
            """);
        command.Parameters.AddWithValue("$seq", sequence);
        command.Parameters.AddWithValue("$outcome", outcome);
        command.Parameters.AddWithValue("$object", @object);
        command.Parameters.AddWithValue("$detail", detail);
        return command.ExecuteNonQuery();
    });

    public async Task<IReadOnlyList<AuditRecord>> ListAudit(DateTimeOffset? since, int limit)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT seq, at, who, role, method, object, outcome, detail FROM (
                SELECT * FROM audit_log WHERE at >= $since ORDER BY seq DESC LIMIT $limit
            ) ORDER BY seq;
            """;
        command.Parameters.AddWithValue("$since", since is null ? 0L : Ms(since.Value));
        command.Parameters.AddWithValue("$limit", limit);
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

    private static long CountValidCertificates(SqliteTransaction transaction, string target, DateTimeOffset now)
    {
        using var command = transaction.CreateCommand("""
            SELECT COUNT(*) FROM agent_certificates WHERE target = $target AND revoked_at IS NULL AND not_after > $now;
            """);
        command.Parameters.AddWithValue("$target", target);
        command.Parameters.AddWithValue("$now", Ms(now));
        return (long)command.ExecuteScalar()!;
    }

    private static void Insert(SqliteTransaction transaction, IssuedCertificate certificate)
    {
        using var command = transaction.CreateCommand("""
            INSERT INTO agent_certificates (serial, target, not_before, not_after, issued_at, revoked_at)
            VALUES ($serial, $target, $notBefore, $notAfter, $issued, NULL);
            """);
        command.Parameters.AddWithValue("$serial", certificate.Serial);
        command.Parameters.AddWithValue("$target", certificate.Target);
        command.Parameters.AddWithValue("$notBefore", Ms(certificate.NotBefore));
        command.Parameters.AddWithValue("$notAfter", Ms(certificate.NotAfter));
        command.Parameters.AddWithValue("$issued", Ms(certificate.Issued));
        command.ExecuteNonQuery();
    }

    private static StoredToken ReadToken(SqliteDataReader reader)
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

    private static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static object Ms(DateTimeOffset? time) => time is { } t ? t.ToUnixTimeMilliseconds() : DBNull.Value;

    private static DateTimeOffset? At(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
}
