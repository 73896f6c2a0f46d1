using Fleet.Hub.Storage;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Fleet.Hub.Tests.Storage;

/// <summary>What counts as a storage outage, and how it is said to an operator.</summary>
public sealed class StorageFailureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Find_RefusedConnectionWrappedAsOrleansWrapsAStateWrite_FindsItAndAnswersUnavailable()
    {
        var refused = await RefusedConnectionAsync();
        // As Orleans' state bridge reports a failed write: its own exception around the provider's.
        var wrapped = new OrleansException("Error from storage provider fleet.TargetGrainState during WriteStateAsync", refused);

        var found = StorageFailure.Find(new AggregateException(wrapped));
        var answer = StorageFailure.ToRpcException(found!);

        Assert.Same(refused, found);
        Assert.Equal(StatusCode.Unavailable, answer.StatusCode);
        Assert.Matches(@"^storage unavailable: Failed to connect to 127\.0\.0\.1:\d+: Connection refused$", answer.Status.Detail);
    }

    [Fact]
    public async Task Find_AStatementTheServerRefused_IsNoOutage()
    {
        var refused = await RefusedConnectionAsync();
        Assert.NotNull(StorageFailure.Find(refused));

        // A server's answer to a statement (here a unique violation) is a bug to report, not a reason to retry.
        var constraint = new PostgresException("duplicate key value violates unique constraint", "ERROR", "ERROR", "23505");

        Assert.Null(StorageFailure.Find(new InvalidOperationException("wrapped", constraint)));
        Assert.Null(StorageFailure.Find(new InvalidOperationException("no storage involved")));
    }

    [Fact]
    public void Find_ServerShuttingDown_IsAnOutage()
    {
        var shutdown = new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01");

        Assert.Same(shutdown, StorageFailure.Find(shutdown));
    }

    [Fact]
    public void Describe_MultiLineMessage_OneBoundedLine()
    {
        var description = StorageFailure.Describe(new IOException("first line\nsecond line " + new string('x', 1000)));

        Assert.Equal("first line", description);
        Assert.True(StorageFailure.Describe(new IOException(new string('y', 1000))).Length <= 300);
    }

    [Fact]
    public void Find_SqliteDatabaseThatIsFull_AnswersStorageFull()
    {
        // A real SQLITE_FULL without a full disk: the database may not grow past its page limit, as a full disk stops it.
        var full = SqliteFullWrite();
        var wrapped = new OrleansException("Error from storage provider fleet.CapabilityGrainState during WriteStateAsync", full);

        var found = StorageFailure.Find(new AggregateException(wrapped));
        var answer = StorageFailure.ToRpcException(found!);

        Assert.Same(full, found);
        Assert.Equal(StatusCode.ResourceExhausted, answer.StatusCode);
        Assert.Equal("storage full: SQLite Error 13: 'database or disk is full'", answer.Status.Detail);
    }

    [Fact]
    public void Find_FileWriteOutOfSpace_AnswersStorageFull()
    {
        Assert.SkipUnless(File.Exists("/dev/full"), "needs /dev/full, where every write fails with ENOSPC");
        // The real IOException of a write to a device with no space left (ENOSPC), as a full data directory gives.
        var full = Assert.ThrowsAny<IOException>(() => File.WriteAllBytes("/dev/full", new byte[64 * 1024]));

        var answer = StorageFailure.ToRpcException(StorageFailure.Find(new InvalidOperationException("writing admin.token", full))!);

        Assert.Equal(StatusCode.ResourceExhausted, answer.StatusCode);
        Assert.StartsWith("storage full: ", answer.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("No space left on device", answer.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_PostgresDiskFull_AnswersStorageFullWhileOtherIoErrorsAreNoStorageFailure()
    {
        var diskFull = new PostgresException("could not extend file \"base/16384/16385\": No space left on device", "ERROR", "ERROR", PostgresErrorCodes.DiskFull);

        Assert.Equal(StatusCode.ResourceExhausted, StorageFailure.ToRpcException(StorageFailure.Find(diskFull)!).StatusCode);
        Assert.Null(StorageFailure.Find(new IOException("permission denied")));
        Assert.Null(StorageFailure.Find(new FileNotFoundException("gone")));
    }

    private static SqliteException SqliteFullWrite()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA max_page_count = 2; CREATE TABLE t (v BLOB);";
        command.ExecuteNonQuery();
        command.CommandText = "INSERT INTO t VALUES (zeroblob(100000));";
        return Assert.Throws<SqliteException>(() => command.ExecuteNonQuery());
    }

    private static async Task<NpgsqlException> RefusedConnectionAsync()
    {
        // Nothing listens on this port: a real Npgsql failure, as when PostgreSQL is down.
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={LoopbackPorts.Take()};Username=fleet;Password=not-shown;Database=fleet;Timeout=5");
        return await Assert.ThrowsAsync<NpgsqlException>(() => connection.OpenAsync(Ct));
    }
}
