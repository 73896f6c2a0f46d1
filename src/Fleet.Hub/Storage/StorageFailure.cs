using System.Data.Common;
using Fleet.Protocol;
using Grpc.Core;
using Npgsql;

namespace Fleet.Hub.Storage;

/// <summary>
/// Tells a storage outage (PostgreSQL down or unreachable, a connection broken, no pooled connection in time, SQLite
/// busy) from any other failure, wherever it surfaces: in a grain's state write (which Orleans wraps), the audit
/// record, the token lookup or a readiness probe. It is worded for an operator, in one line and without secrets:
/// driver messages name host and port at most, never the connection string or its password.
/// </summary>
internal static class StorageFailure
{
    private const int MaxDescriptionLength = 300;

    /// <summary>The storage outage that caused <paramref name="exception"/> (anywhere in its causes), or null.</summary>
    public static DbException? Find(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException failure && IsOutage(failure))
            {
                return failure;
            }

            if (e is AggregateException aggregate)
            {
                return aggregate.InnerExceptions.Select(Find).FirstOrDefault(found => found is not null);
            }
        }

        return null;
    }

    /// <summary>The gRPC answer to a call that failed for <paramref name="failure"/>: Unavailable, so clients may retry.</summary>
    public static RpcException ToRpcException(DbException failure) =>
        new(new Status(StatusCode.Unavailable, StorageUnavailable.Prefix + Describe(failure)));

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
