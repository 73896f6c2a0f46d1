using System.Data.Common;
using Fleet.Hub.Storage;

namespace Fleet.Hub.Security;

/// <summary>
/// Tokens, issued agent certificates and the audit log (<see cref="DbSecurityStore"/>), in the hub's
/// embedded database. Every write goes through the group-commit writer, so it is on disk (fsynced)
/// before the call that made it is answered; reads use pooled connections beside it.
/// </summary>
/// <remarks>
/// One transaction on the single writer: two enrollments racing cannot both win, they run in turn,
/// so enrollment needs no lock of its own.
/// </remarks>
internal sealed class SqliteSecurityStore(SqliteDatabase database) : DbSecurityStore(ClusterScope.Unscoped)
{
    protected override async Task<DbConnection> OpenAsync() => await database.OpenAsync();

    protected override Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction?, Task<T>> work) =>
        database.WriteAsync(transaction => RunOnWriter(work(transaction.Connection!, transaction)));

    protected override Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work) =>
        database.WriteAsync(transaction => RunOnWriter(work(transaction.Connection!, transaction)));

    // The writer loop runs its work synchronously. Microsoft.Data.Sqlite completes its async
    // methods synchronously, so the work's task is done when it returns; anything else would be a
    // bug that must not leave work running on the writer's transaction.
    private static T RunOnWriter<T>(Task<T> work) =>
        work.IsCompleted
            ? work.GetAwaiter().GetResult()
            : throw new InvalidOperationException("A security store write did not complete synchronously on the SQLite writer.");
}
