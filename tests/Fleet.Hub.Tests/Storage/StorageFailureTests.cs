using Fleet.Hub.Storage;
using Grpc.Core;
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

    private static async Task<NpgsqlException> RefusedConnectionAsync()
    {
        // Nothing listens on this port: a real Npgsql failure, as when PostgreSQL is down.
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={LoopbackPorts.Take()};Username=fleet;Password=not-shown;Database=fleet;Timeout=5");
        return await Assert.ThrowsAsync<NpgsqlException>(() => connection.OpenAsync(Ct));
    }
}
