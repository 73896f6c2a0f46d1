using Microsoft.Data.Sqlite;

namespace Fleet.Hub.Storage;

internal static class SqliteTransactionExtensions
{
    /// <summary>A command bound to <paramref name="transaction"/>, as SQLite requires inside one.</summary>
    public static SqliteCommand CreateCommand(this SqliteTransaction transaction, string sql)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
