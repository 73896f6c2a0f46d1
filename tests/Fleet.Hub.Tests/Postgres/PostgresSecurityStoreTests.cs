using Fleet.Hub.Security;
using Fleet.Hub.Storage;
using Fleet.Hub.Tests.Security;

namespace Fleet.Hub.Tests.Postgres;

public sealed class PostgresSecurityStoreTests(PostgresServer server) : SecurityStoreContract
{
    private string? _connectionString;
    private PostgresDatabase? _database;

    private protected override async ValueTask<ISecurityStore> OpenAsync()
    {
        _connectionString ??= await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        _database = new PostgresDatabase(_connectionString);
        return new PostgresSecurityStore(_database);
    }

    protected override async ValueTask CloseAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
