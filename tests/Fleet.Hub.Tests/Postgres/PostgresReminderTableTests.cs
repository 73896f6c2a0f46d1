using Fleet.Hub.Storage;
using Fleet.Hub.Tests.Storage;

namespace Fleet.Hub.Tests.Postgres;

public sealed class PostgresReminderTableTests(PostgresServer server) : ReminderTableContract
{
    private string? _connectionString;
    private PostgresDatabase? _database;

    protected override async ValueTask<IReminderTable> OpenAsync()
    {
        _connectionString ??= await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        _database = new PostgresDatabase(_connectionString);
        return new PostgresReminderTable(_database);
    }

    protected override async ValueTask CloseAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
