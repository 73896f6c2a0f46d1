using System.Data;
using System.Data.Common;
using System.Globalization;
using Fleet.Hub.Storage;

namespace Fleet.Hub.Security;

/// <summary>
/// Tokens, issued agent certificates and the audit log in the tables every storage backend of the hub
/// shares (<c>security_tokens</c>, <c>agent_certificates</c>, <c>audit_log</c>): the statements, how
/// rows are read, and the enrollment decision. A backend supplies its connections, how a write is
/// made durable, and what enrollment locks.
/// </summary>
/// <remarks>
/// Times are stored as Unix milliseconds. Statements mark their parameters <c>@name</c>
/// (<see cref="DbCommandExtensions"/>). Every statement reads and writes only the rows of
/// <see cref="Scope"/>: in a PostgreSQL database shared by several hubs, one hub's tokens do not work on
/// another, its certificates are unknown there and its audit log is not shown there.
/// </remarks>
internal abstract class DbSecurityStore(ClusterScope scope) : ISecurityStore
{
    private const string TokenColumns = "id, secret_hash, role, description, target, created_at, expires_at, used_at, revoked_at, created_by";

    /// <summary>Whose rows these are (<see cref="ClusterScope"/>).</summary>
    protected ClusterScope Scope { get; } = scope;

    public Task InsertToken(StoredToken token) => InTransactionAsync(async (connection, transaction) =>
    {
        await using (var command = Command(connection, transaction, $"""
            INSERT INTO security_tokens ({Scope.Column}{TokenColumns})
            VALUES ({Scope.Value}@id, @hash, @role, @description, @target, @created, @expires, NULL, NULL, @createdBy);
            """))
        {
            command
                .With("@id", token.Id)
                .With("@hash", token.SecretHash)
                .With("@role", FleetRoles.Name(token.Role))
                .With("@description", token.Description)
                .With("@target", token.Target, DbType.String)
                .With("@created", Ms(token.Created))
                .With("@expires", token.Expires?.ToUnixTimeMilliseconds(), DbType.Int64)
                .With("@createdBy", token.CreatedBy);
            await command.ExecuteNonQueryAsync();
        }

        // A trusting token has no row: a token of an older hub reads the same.
        if (!token.Enrollment.IsTrusting)
        {
            await using var policy = Command(connection, transaction, $"""
                INSERT INTO token_label_policies ({Scope.Column}token_id, labels, label_keys, driver)
                VALUES ({Scope.Value}@id, @labels, @keys, @driver);
                """);
            await WithPolicy(policy.With("@id", token.Id), token.Enrollment).ExecuteNonQueryAsync();
        }

        return 0;
    });

    public async Task<StoredToken?> FindToken(string id)
    {
        await using var connection = await OpenAsync();
        return await FindToken(connection, null, id, forUpdate: false);
    }

    public async Task<IReadOnlyList<StoredToken>> ListTokens()
    {
        await using var connection = await OpenAsync();
        var policies = new Dictionary<string, LabelPolicy>(StringComparer.Ordinal);
        await using (var read = Command(connection, null, $"SELECT token_id, labels, label_keys, driver FROM token_label_policies WHERE {Scope.Filter}TRUE;"))
        await using (var policyReader = await read.ExecuteReaderAsync())
        {
            while (await policyReader.ReadAsync())
            {
                policies[policyReader.GetString(0)] = ReadPolicy(policyReader, 1);
            }
        }

        await using var command = Command(connection, null, $"SELECT {TokenColumns} FROM security_tokens WHERE {Scope.Filter}TRUE ORDER BY created_at, id;");
        await using var reader = await command.ExecuteReaderAsync();
        var tokens = new List<StoredToken>();
        while (await reader.ReadAsync())
        {
            var token = ReadToken(reader);
            tokens.Add(policies.TryGetValue(token.Id, out var policy) ? token with { Policy = policy } : token);
        }

        return tokens;
    }

    public Task<bool> RevokeToken(string id, DateTimeOffset now) => WriteAsync(async (connection, transaction) =>
    {
        await using var command = Command(connection, transaction, $"UPDATE security_tokens SET revoked_at = @now WHERE {Scope.Filter}id = @id AND revoked_at IS NULL;")
            .With("@id", id)
            .With("@now", Ms(now));
        return await command.ExecuteNonQueryAsync() > 0;
    });

    public Task<int> RevokeAdminTokens(DateTimeOffset now) => WriteAsync(async (connection, transaction) =>
    {
        await using var command = Command(connection, transaction, $"UPDATE security_tokens SET revoked_at = @now WHERE {Scope.Filter}role = 'admin' AND revoked_at IS NULL;")
            .With("@now", Ms(now));
        return await command.ExecuteNonQueryAsync();
    });

    public async Task<bool> HasUsableAdminToken(DateTimeOffset now)
    {
        await using var connection = await OpenAsync();
        await using var command = Command(connection, null, $"""
            SELECT EXISTS (
                SELECT 1 FROM security_tokens
                WHERE {Scope.Filter}role = 'admin' AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > @now));
            """)
            .With("@now", Ms(now));
        return IsTrue(await command.ExecuteScalarAsync());
    }

    /// <remarks>
    /// One transaction, serialised by the backend (<see cref="LockEnrollmentAsync"/>,
    /// <see cref="TokenRowLock"/>): of two enrollments with one token, or with two unbound tokens for
    /// one target, the second sees what the first committed.
    /// </remarks>
    public Task<EnrollmentRefusal> ConsumeEnrollmentToken(string id, byte[] hash, IssuedCertificate certificate, DateTimeOffset now) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            await LockEnrollmentAsync(connection, transaction, certificate.Target);
            var token = await FindToken(connection, transaction, id, forUpdate: true);
            var refusal = EnrollmentRules.Check(
                token, hash, certificate.Target, now,
                targetHasValidCertificate: token is { Target: null } && await HasValidCertificate(connection, transaction, certificate.Target, now));
            if (refusal != EnrollmentRefusal.None)
            {
                return refusal;
            }

            await using (var use = Command(connection, transaction, $"UPDATE security_tokens SET used_at = @now WHERE {Scope.Filter}id = @id;"))
            {
                use.With("@id", id).With("@now", Ms(now));
                await use.ExecuteNonQueryAsync();
            }

            await Insert(connection, transaction, certificate);
            await SetIdentity(connection, transaction, certificate.Target, token!, now);
            return EnrollmentRefusal.None;
        });

    public async Task<LabelPolicy> FindTargetPolicy(string target)
    {
        await using var connection = await OpenAsync();
        await using var command = Command(connection, null, $"SELECT labels, label_keys, driver FROM target_identities WHERE {Scope.Filter}target = @target;")
            .With("@target", target);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? ReadPolicy(reader, 0) : LabelPolicy.Trusting;
    }

    public Task InsertCertificate(IssuedCertificate certificate) => WriteAsync(async (connection, transaction) =>
    {
        await Insert(connection, transaction, certificate);
        return 0;
    });

    public async Task<IssuedCertificate?> FindCertificate(string serial)
    {
        await using var connection = await OpenAsync();
        await using var command = Command(
            connection, null, $"SELECT serial, target, not_before, not_after, issued_at, revoked_at FROM agent_certificates WHERE {Scope.Filter}serial = @serial;")
            .With("@serial", serial);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new IssuedCertificate(reader.GetString(0), reader.GetString(1), At(reader, 2)!.Value, At(reader, 3)!.Value, At(reader, 4)!.Value, At(reader, 5))
            : null;
    }

    public Task<(int Certificates, int Tokens)> RevokeTarget(string target, DateTimeOffset now) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            int certificateCount;
            await using (var certificates = Command(connection, transaction, $"""
                UPDATE agent_certificates SET revoked_at = @now
                WHERE {Scope.Filter}target = @target AND revoked_at IS NULL AND not_after > @now;
                """))
            {
                certificates.With("@target", target).With("@now", Ms(now));
                certificateCount = await certificates.ExecuteNonQueryAsync();
            }

            // Expired ones too: nothing issued to this target before now may ever be accepted again.
            await using (var rest = Command(connection, transaction, $"UPDATE agent_certificates SET revoked_at = @now WHERE {Scope.Filter}target = @target AND revoked_at IS NULL;"))
            {
                rest.With("@target", target).With("@now", Ms(now));
                await rest.ExecuteNonQueryAsync();
            }

            await using var tokens = Command(connection, transaction, $"""
                UPDATE security_tokens SET revoked_at = @now
                WHERE {Scope.Filter}target = @target AND role = 'agent' AND used_at IS NULL AND revoked_at IS NULL;
                """)
                .With("@target", target)
                .With("@now", Ms(now));
            return (certificateCount, await tokens.ExecuteNonQueryAsync());
        });

    public Task<long> AppendAudit(AuditRecord record) => WriteAsync(async (connection, transaction) =>
    {
        await using var command = Command(connection, transaction, $"""
            INSERT INTO audit_log ({Scope.Column}at, who, role, method, object, outcome, detail)
            VALUES ({Scope.Value}@at, @who, @role, @method, @object, @outcome, @detail)
            RETURNING seq;
            """)
            .With("@at", Ms(record.Time))
            .With("@who", record.Who)
            .With("@role", record.Role)
            .With("@method", record.Method)
            .With("@object", record.Object)
            .With("@outcome", record.Outcome)
            .With("@detail", record.Detail);
        return (long)(await command.ExecuteScalarAsync())!;
    });

    public Task CompleteAudit(long sequence, string outcome, string @object, string detail) => WriteAsync(async (connection, transaction) =>
    {
        await using var command = Command(connection, transaction, $"""
            UPDATE audit_log SET outcome = @outcome, detail = @detail, object = CASE WHEN @object = '' THEN object ELSE @object END
            WHERE {Scope.Filter}seq = @seq;
            """)
            .With("@seq", sequence)
            .With("@outcome", outcome)
            .With("@object", @object)
            .With("@detail", detail);
        return await command.ExecuteNonQueryAsync();
    });

    public async Task<IReadOnlyList<AuditRecord>> ListAudit(DateTimeOffset? since, int limit)
    {
        await using var connection = await OpenAsync();
        await using var command = Command(connection, null, $"""
            SELECT seq, at, who, role, method, object, outcome, detail FROM (
                SELECT * FROM audit_log WHERE {Scope.Filter}at >= @since ORDER BY seq DESC LIMIT @limit
            ) AS newest ORDER BY seq;
            """)
            .With("@since", since is null ? 0L : Ms(since.Value))
            .With("@limit", (long)limit);
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

    /// <summary>A pooled connection for reading.</summary>
    protected abstract Task<DbConnection> OpenAsync();

    /// <summary>
    /// Runs a write of one statement (<paramref name="work"/> gets the transaction to use, if the
    /// backend has one) and completes once it is durably committed.
    /// </summary>
    protected abstract Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction?, Task<T>> work);

    /// <summary>Runs <paramref name="work"/> in one transaction and completes once it is durably committed.</summary>
    protected abstract Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work);

    /// <summary>What an enrollment for <paramref name="target"/> locks first in its transaction, if the backend needs it.</summary>
    protected virtual Task LockEnrollmentAsync(DbConnection connection, DbTransaction transaction, string target) => Task.CompletedTask;

    /// <summary>The clause that locks the token row an enrollment reads (empty if the backend needs none).</summary>
    protected virtual string TokenRowLock => "";

    private async Task<StoredToken?> FindToken(DbConnection connection, DbTransaction? transaction, string id, bool forUpdate)
    {
        await using var command = Command(
            connection, transaction, $"SELECT {TokenColumns} FROM security_tokens WHERE {Scope.Filter}id = @id{(forUpdate ? TokenRowLock : "")};")
            .With("@id", id);
        StoredToken? token;
        await using (var reader = await command.ExecuteReaderAsync())
        {
            token = await reader.ReadAsync() ? ReadToken(reader) : null;
        }

        return token is null ? null : token with { Policy = await FindTokenPolicy(connection, transaction, id) };
    }

    /// <summary>
    /// The enrolling token's policy becomes the target's identity, replacing any earlier one: the
    /// operator who made this token decided for this enrollment (a trusting token leaves the target trusting).
    /// </summary>
    private async Task SetIdentity(DbConnection connection, DbTransaction transaction, string target, StoredToken token, DateTimeOffset now)
    {
        await using (var clear = Command(connection, transaction, $"DELETE FROM target_identities WHERE {Scope.Filter}target = @target;"))
        {
            await clear.With("@target", target).ExecuteNonQueryAsync();
        }

        if (token.Enrollment.IsTrusting)
        {
            return;
        }

        await using var insert = Command(connection, transaction, $"""
            INSERT INTO target_identities ({Scope.Column}target, labels, label_keys, driver, token_id, enrolled_at)
            VALUES ({Scope.Value}@target, @labels, @keys, @driver, @tokenId, @now);
            """);
        await WithPolicy(insert.With("@target", target).With("@tokenId", token.Id).With("@now", Ms(now)), token.Enrollment).ExecuteNonQueryAsync();
    }

    private static DbCommand WithPolicy(DbCommand command, LabelPolicy policy) => command
        .With("@labels", policy.LabelsJson, DbType.String)
        .With("@keys", policy.KeysJson)
        .With("@driver", policy.Driver, DbType.String);

    private static LabelPolicy ReadPolicy(DbDataReader reader, int first) => LabelPolicy.FromStored(
        reader.IsDBNull(first) ? null : reader.GetString(first),
        reader.GetString(first + 1),
        reader.IsDBNull(first + 2) ? null : reader.GetString(first + 2));

    private async Task<LabelPolicy?> FindTokenPolicy(DbConnection connection, DbTransaction? transaction, string id)
    {
        await using var command = Command(connection, transaction, $"SELECT labels, label_keys, driver FROM token_label_policies WHERE {Scope.Filter}token_id = @id;")
            .With("@id", id);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? ReadPolicy(reader, 0) : null;
    }

    private async Task<bool> HasValidCertificate(DbConnection connection, DbTransaction transaction, string target, DateTimeOffset now)
    {
        await using var command = Command(connection, transaction, $"""
            SELECT EXISTS (SELECT 1 FROM agent_certificates WHERE {Scope.Filter}target = @target AND revoked_at IS NULL AND not_after > @now);
            """)
            .With("@target", target)
            .With("@now", Ms(now));
        return IsTrue(await command.ExecuteScalarAsync());
    }

    private async Task Insert(DbConnection connection, DbTransaction? transaction, IssuedCertificate certificate)
    {
        await using var command = Command(connection, transaction, $"""
            INSERT INTO agent_certificates ({Scope.Column}serial, target, not_before, not_after, issued_at, revoked_at)
            VALUES ({Scope.Value}@serial, @target, @notBefore, @notAfter, @issued, NULL);
            """)
            .With("@serial", certificate.Serial)
            .With("@target", certificate.Target)
            .With("@notBefore", Ms(certificate.NotBefore))
            .With("@notAfter", Ms(certificate.NotAfter))
            .With("@issued", Ms(certificate.Issued));
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A statement on this store's rows: <c>@clusterId</c> bound for the <see cref="Scope"/> fragments in it.</summary>
    private DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql) =>
        Scope.Bind(connection.CreateCommand(transaction, sql));

    private static StoredToken ReadToken(DbDataReader reader)
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

    // EXISTS is a boolean in PostgreSQL and the integer 0 or 1 in SQLite.
    private static bool IsTrue(object? value) => Convert.ToBoolean(value, CultureInfo.InvariantCulture);

    private static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static DateTimeOffset? At(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
}
