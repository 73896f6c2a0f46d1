using System.Data;
using System.Data.Common;

namespace Fleet.Hub.Storage;

/// <summary>
/// Command building that both storage backends share. SQL written for both marks its parameters
/// <c>@name</c>, which SQLite and PostgreSQL (Npgsql) both accept, and binds them by that name.
/// </summary>
internal static class DbCommandExtensions
{
    /// <summary>A command on <paramref name="connection"/>, in <paramref name="transaction"/> when there is one.</summary>
    public static DbCommand CreateCommand(this DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>
    /// Adds a parameter whose type the provider infers from its value (as <c>AddWithValue</c> does);
    /// <paramref name="type"/> types it explicitly, which a NULL needs in PostgreSQL (an untyped
    /// DBNull gives it no type to infer).
    /// </summary>
    public static DbCommand With(this DbCommand command, string name, object? value, DbType? type = null)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        if (type is { } dbType)
        {
            parameter.DbType = dbType;
        }

        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }
}
