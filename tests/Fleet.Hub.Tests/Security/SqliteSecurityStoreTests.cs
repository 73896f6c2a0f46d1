using Fleet.Hub.Security;
using Fleet.Hub.Storage;
using Fleet.Hub.Tests.Storage;

namespace Fleet.Hub.Tests.Security;

public sealed class SqliteSecurityStoreTests : SecurityStoreContract
{
    private readonly TempDirectory _directory = new();
    private SqliteDatabase? _database;

    private protected override ValueTask<ISecurityStore> OpenAsync()
    {
        _database = new SqliteDatabase(_directory.Path);
        return ValueTask.FromResult<ISecurityStore>(new SqliteSecurityStore(_database));
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
}
