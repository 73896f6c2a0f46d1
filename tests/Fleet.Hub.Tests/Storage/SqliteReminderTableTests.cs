using Fleet.Hub.Storage;

namespace Fleet.Hub.Tests.Storage;

public sealed class SqliteReminderTableTests : ReminderTableContract
{
    private readonly TempDirectory _directory = new();
    private SqliteDatabase? _database;

    protected override ValueTask<IReminderTable> OpenAsync()
    {
        _database = new SqliteDatabase(_directory.Path);
        return ValueTask.FromResult<IReminderTable>(new SqliteReminderTable(_database));
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
