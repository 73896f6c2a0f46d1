using Fleet.Hub.Storage;
using Orleans.Storage;

namespace Fleet.Hub.Tests.Storage;

public sealed class SqliteGrainStorageTests : GrainStorageContract
{
    private readonly TempDirectory _directory = new();
    private SqliteDatabase? _database;

    protected override ValueTask<IGrainStorage> OpenAsync()
    {
        _database = new SqliteDatabase(_directory.Path);
        return ValueTask.FromResult<IGrainStorage>(StorageTestServices.CreateGrainStorage(_database));
    }

    protected override async ValueTask CloseAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    protected override ValueTask DisposeStoreAsync()
    {
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }

    protected override async Task<long> CountRowsAsync() => (long)(await ScalarAsync("SELECT COUNT(*) FROM grain_state;"))!;

    protected override async Task<string> ReadStoredJsonAsync() => (string)(await ScalarAsync("SELECT data FROM grain_state;"))!;

    protected override Task OverwriteStoredJsonAsync(string json) =>
        _database!.WriteAsync(
            transaction =>
            {
                using var command = transaction.CreateCommand("UPDATE grain_state SET data = $data;");
                command.Parameters.AddWithValue("$data", json);
                return command.ExecuteNonQuery();
            },
            TestContext.Current.CancellationToken);

    private async Task<object?> ScalarAsync(string sql)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = await _database!.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(ct);
    }
}
