using Fleet.Hub.Storage;
using Fleet.Hub.Tests.Storage;
using Npgsql;
using Orleans.Storage;

namespace Fleet.Hub.Tests.Postgres;

public sealed class PostgresGrainStorageTests(PostgresServer server) : GrainStorageContract
{
    private string? _connectionString;
    private PostgresDatabase? _database;

    protected override async ValueTask<IGrainStorage> OpenAsync()
    {
        _connectionString ??= await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        _database = new PostgresDatabase(_connectionString);
        return StorageTestServices.CreateGrainStorage(_database);
    }

    protected override async ValueTask CloseAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    protected override async Task<long> CountRowsAsync() => (long)(await ScalarAsync("SELECT COUNT(*) FROM grain_state;"))!;

    protected override async Task<string> ReadStoredJsonAsync() => (string)(await ScalarAsync("SELECT data::text FROM grain_state;"))!;

    protected override Task OverwriteStoredJsonAsync(string json) => ScalarAsync("UPDATE grain_state SET data = @data::json;", json);

    private async Task<object?> ScalarAsync(string sql, string? data = null)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = await _database!.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        if (data is not null)
        {
            command.Parameters.AddWithValue("data", data);
        }

        return await command.ExecuteScalarAsync(ct);
    }
}
