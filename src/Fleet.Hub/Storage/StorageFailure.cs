using System.Data.Common;
using Fleet.Protocol;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Fleet.Hub.Storage;

/// <summary>
/// Tells a storage outage (PostgreSQL down or unreachable, a connection broken, no pooled connection in time, SQLite
/// busy) and a full storage (SQLite's SQLITE_FULL, PostgreSQL's disk_full, a write failing with ENOSPC) from any other
/// failure, wherever it surfaces: in a grain's state write (which Orleans wraps), the audit record, the token lookup or
/// a readiness probe. Both are answered so that the operator sees why and may retry once it is fixed; reads keep working. It is worded for an operator, in one line and without secrets:
/// driver messages name host and port at most, never the connection string or its password.
/// </summary>
internal static class StorageFailure
{
    private const int MaxDescriptionLength = 300;

    /// <summary>The storage outage or full storage that caused <paramref name="exception"/> (anywhere in its causes), or null.</summary>
    public static Exception? Find(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (IsFull(e) || (e is DbException failure && IsOutage(failure)))
            {
                return e;
            }

            if (e is AggregateException aggregate)
            {
                return aggregate.InnerExceptions.Select(Find).FirstOrDefault(found => found is not null);
            }
        }

        return null;
    }

    /// <summary>
    /// The gRPC answer to a call that failed for <paramref name="failure"/> (one <see cref="Find"/> returned): Unavailable
    /// for an outage, ResourceExhausted (gRPC's code for a file system out of space) for full storage; either may be
    /// retried once fixed, and nothing was changed by the call.
    /// </summary>
    public static RpcException ToRpcException(Exception failure) =>
        IsFull(failure)
            ? new(new Status(StatusCode.ResourceExhausted, StorageUnavailable.FullPrefix + Describe(failure)))
            : new(new Status(StatusCode.Unavailable, StorageUnavailable.Prefix + Describe(failure)));

    /// <summary>
    /// Storage that has no room for a write: SQLite's SQLITE_FULL (13, the disk or its max_page_count), PostgreSQL's
    /// disk_full (53100), or a file write that failed with ENOSPC (the errno .NET keeps as the HResult on Unix;
    /// ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL on Windows).
    /// </summary>
    private static bool IsFull(Exception e) => e switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == SqliteFull,
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.DiskFull,
        IOException io => io.HResult is Enospc or ErrorDiskFull or ErrorHandleDiskFull,
        _ => false,
    };

    private const int SqliteFull = 13;
    private const int Enospc = 28;
    private const int ErrorDiskFull = unchecked((int)0x80070070);
    private const int ErrorHandleDiskFull = unchecked((int)0x80070027);

    /// <summary>What failed, in one line: the exception's message and, when it says more, its innermost cause's.</summary>
    public static string Describe(Exception exception)
    {
        var root = exception;
        while (root.InnerException is not null)
        {
            root = root.InnerException;
        }

        var text = FirstLine(exception.Message);
        if (!ReferenceEquals(root, exception) && FirstLine(root.Message) is { Length: > 0 } cause && !text.Contains(cause, StringComparison.Ordinal))
        {
            text = $"{text}: {cause}";
        }

        return text.Length <= MaxDescriptionLength ? text : text[..MaxDescriptionLength];
    }

    /// <summary>
    /// What the driver counts as transient (connection refused or broken, timeouts, the server shutting down or
    /// starting, too many connections), plus any Npgsql failure that is not the server's answer to a statement.
    /// A server's refusal of a statement (a constraint, a syntax error) is a bug, not an outage.
    /// </summary>
    private static bool IsOutage(DbException failure) =>
        failure.IsTransient || failure is NpgsqlException and not PostgresException;

    private static string FirstLine(string message)
    {
        var line = message.AsSpan().Trim();
        var end = line.IndexOfAny('\r', '\n');
        return (end < 0 ? line : line[..end]).TrimEnd().ToString().TrimEnd('.');
    }
}
