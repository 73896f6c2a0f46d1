using Fleet.Hub.Storage;
using Microsoft.Data.Sqlite;

namespace Fleet.Hub.Tests.Storage;

public sealed class SqliteDatabaseTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task InitializeAsync_MissingDirectory_CreatesFileInWalModeWithSchema()
    {
        var ct = TestContext.Current.CancellationToken;
        var dataDir = Path.Combine(_directory.Path, "nested", "hub");
        await using var database = new SqliteDatabase(dataDir);

        await database.InitializeAsync(ct);

        Assert.True(File.Exists(Path.Combine(dataDir, "fleet.db")));
        await using var connection = await database.OpenAsync(ct);
        Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode;"));
        Assert.Equal(2L, await ScalarAsync(connection, "PRAGMA synchronous;")); // FULL
        Assert.Equal(1L, await ScalarAsync(connection, "PRAGMA foreign_keys;"));
        Assert.Equal((long)SqliteSchema.LatestVersion, await ScalarAsync(connection, "SELECT MAX(version) FROM schema_version;"));
        Assert.Equal(2L, await ScalarAsync(connection,
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('grain_state', 'reminders');"));
    }

    [Fact]
    public async Task InitializeAsync_ExistingFile_AppliesNoMigrationTwice()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var first = new SqliteDatabase(_directory.Path))
        {
            await first.InitializeAsync(ct);
            await first.InitializeAsync(ct);
        }

        await using var second = new SqliteDatabase(_directory.Path);
        await second.InitializeAsync(ct);

        await using var connection = await second.OpenAsync(ct);
        Assert.Equal((long)SqliteSchema.Migrations.Count, await ScalarAsync(connection, "SELECT COUNT(*) FROM schema_version;"));
    }

    [Fact]
    public async Task InitializeAsync_SchemaFromNewerHub_Throws()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var current = new SqliteDatabase(_directory.Path))
        {
            await current.WriteAsync(
                transaction =>
                {
                    using var command = transaction.CreateCommand(
                        "INSERT INTO schema_version (version, applied_at) VALUES (1000, 'later');");
                    return command.ExecuteNonQuery();
                },
                ct);
        }

        await using var older = new SqliteDatabase(_directory.Path);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => older.InitializeAsync(ct));

        Assert.Contains("schema version 1000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_OneWorkThrowsAmongConcurrentWrites_OnlyItsChangesAreUndone()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = new SqliteDatabase(_directory.Path);
        await database.InitializeAsync(ct);

        var writes = Enumerable.Range(0, 50).Select(i => database.WriteAsync(
            transaction =>
            {
                using var command = transaction.CreateCommand(
                    "INSERT INTO grain_state VALUES ('t', $key, 's', 1, '{}', 'now');");
                command.Parameters.AddWithValue("$key", $"k{i}");
                command.ExecuteNonQuery();
                return i == 25 ? throw new InvalidOperationException("work 25 fails after writing") : i;
            },
            ct)).ToList();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => writes[25]);
        Assert.Equal("work 25 fails after writing", failure.Message);
        foreach (var write in writes.Where((_, i) => i != 25))
        {
            await write;
        }

        await using var connection = await database.OpenAsync(ct);
        Assert.Equal(49L, await ScalarAsync(connection, "SELECT COUNT(*) FROM grain_state;"));
        Assert.Equal(0L, await ScalarAsync(connection, "SELECT COUNT(*) FROM grain_state WHERE grain_id = 'k25';"));
    }

    [Fact]
    public async Task WriteAsync_CancelledWhileQueued_IsNeverRun()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = new SqliteDatabase(_directory.Path);
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var blocking = database.WriteAsync(
            _ =>
            {
                started.Set();
                release.Wait(ct);
                return 0;
            },
            ct);
        started.Wait(ct);

        // The writer is busy with the batch above, so this request waits in the queue.
        using var cancellation = new CancellationTokenSource();
        var ran = false;
        var queued = database.WriteAsync(_ => ran = true, cancellation.Token);
        await cancellation.CancelAsync();
        release.Set();

        await blocking;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        await database.WriteAsync(_ => 0, ct);
        Assert.False(ran);
    }

    [Fact]
    public async Task WriteAsync_AfterDispose_ThrowsObjectDisposed()
    {
        var database = new SqliteDatabase(_directory.Path);
        await database.InitializeAsync(TestContext.Current.CancellationToken);
        await database.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => database.WriteAsync(_ => 1, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task WriteAsync_AcknowledgedBeforeDispose_IsInTheFileAfterward()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var database = new SqliteDatabase(_directory.Path))
        {
            await database.WriteAsync(
                transaction =>
                {
                    using var command = transaction.CreateCommand("INSERT INTO grain_state VALUES ('t', 'k', 's', 1, '{}', 'now');");
                    return command.ExecuteNonQuery();
                },
                ct);
        }

        // A plain connection, not the hub's: the row must be in the file itself.
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory.Path, "fleet.db")};Pooling=False");
        await connection.OpenAsync(ct);
        Assert.Equal(1L, await ScalarAsync(connection, "SELECT COUNT(*) FROM grain_state;"));
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }
}
