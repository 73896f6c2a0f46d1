using System.Data.Common;
using Fleet.Hub.Storage;
using Npgsql;

namespace Fleet.Hub.Security;

/// <summary>
/// Tokens, issued agent certificates and the audit log (<see cref="DbSecurityStore"/>) in PostgreSQL
/// (<c>--storage postgres</c>), in the same tables and columns as <see cref="SqliteSecurityStore"/>.
/// Every write is one committed transaction before its task completes. Several hub nodes may share
/// the database: enrollment locks what it decides on (see <see cref="LockEnrollmentAsync"/>); hubs
/// of other clusters on it see none of these rows (<see cref="ClusterScope"/>).
/// </summary>
internal sealed class PostgresSecurityStore(PostgresDatabase database) : DbSecurityStore(database.Scope), IClusterCaStore
{
    /// <remarks>
    /// Insert-if-absent, then read, in one transaction: a node that lost the race to a concurrent first
    /// start reads the winner's row, committed before its own insert could be skipped.
    /// </remarks>
    public Task<StoredCa> GetOrAddAsync(StoredCa candidate, DateTimeOffset now) =>
        database.InTransactionAsync(async (connection, transaction, cancellationToken) =>
        {
            await using (var insert = Scope.Bind(connection.CreateCommand(transaction, $"""
                INSERT INTO cluster_ca ({Scope.Column}certificate, private_key, fingerprint, created_at)
                VALUES ({Scope.Value}@certificate, @key, @fingerprint, @now)
                ON CONFLICT (cluster_id) DO NOTHING;
                """)))
            {
                insert.With("@certificate", candidate.CertificatePem)
                    .With("@key", candidate.KeyPem, System.Data.DbType.String)
                    .With("@fingerprint", candidate.Fingerprint)
                    .With("@now", now.ToUniversalTime());
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var read = Scope.Bind(connection.CreateCommand(
                transaction, $"SELECT certificate, private_key, fingerprint FROM cluster_ca WHERE {Scope.Filter}TRUE;"));
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return new StoredCa(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2));
        });

    public async Task<StoredCa?> FindAsync()
    {
        await using var connection = await database.OpenAsync();
        await using var read = Scope.Bind(connection.CreateCommand(null, $"SELECT certificate, private_key, fingerprint FROM cluster_ca WHERE {Scope.Filter}TRUE;"));
        await using var reader = await read.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new StoredCa(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2))
            : null;
    }

    /// <remarks>
    /// Serialised per target by a transaction-level advisory lock, and per token by <c>FOR UPDATE</c>
    /// (<see cref="TokenRowLock"/>): two enrollments with one token, or with two unbound tokens for one
    /// target (on any hub nodes), run one after the other, and the second sees what the first committed.
    /// The key names the cluster too: a target of another hub on the database is another target.
    /// </remarks>
    protected override async Task LockEnrollmentAsync(DbConnection connection, DbTransaction transaction, string target)
    {
        await using var lockTarget = new NpgsqlCommand(
            "SELECT pg_advisory_xact_lock(hashtextextended('fleet-enroll:' || @cluster || ':' || @target, 0));",
            (NpgsqlConnection)connection,
            (NpgsqlTransaction)transaction);
        lockTarget.Parameters.AddWithValue("cluster", Scope.ClusterId!);
        lockTarget.Parameters.AddWithValue("target", target);
        await lockTarget.ExecuteNonQueryAsync();
    }

    protected override string TokenRowLock => " FOR UPDATE";

    protected override async Task<DbConnection> OpenAsync() => await database.OpenAsync();

    // One statement is its own transaction.
    protected override async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction?, Task<T>> work)
    {
        await using var connection = await database.OpenAsync();
        return await work(connection, null);
    }

    protected override Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work) =>
        database.InTransactionAsync((connection, transaction, _) => work(connection, transaction));
}
