using Microsoft.Data.Sqlite;

namespace Fleet.Hub.Storage;

/// <summary>
/// A unit of work waiting for the group-commit writer of <see cref="SqliteDatabase"/>. Its caller is
/// acknowledged only after the transaction holding it has committed (and, with
/// <c>synchronous=FULL</c>, reached the disk).
/// </summary>
internal sealed class SqliteWriteRequest(Func<SqliteTransaction, object?> work, CancellationToken cancellationToken)
{
    // Continuations run asynchronously so that a grain resuming after its write never runs on
    // (and never holds up) the writer loop.
    private readonly TaskCompletionSource<object?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private object? _result;
    private Exception? _error;

    public Task<object?> Completion => _completion.Task;

    /// <summary>
    /// Cancellation only withdraws a request that has not started: once its work ran in a
    /// transaction, the caller must learn the outcome, or it could not tell whether it was stored.
    /// </summary>
    public bool TryWithdrawIfCancelled() =>
        cancellationToken.IsCancellationRequested && _completion.TrySetCanceled(cancellationToken);

    /// <summary>Runs the work inside the batch; a failure is kept for this request alone.</summary>
    public bool Execute(SqliteTransaction transaction)
    {
        try
        {
            _result = work(transaction);
            return true;
        }
        catch (Exception exception)
        {
            _error = exception;
            return false;
        }
    }

    /// <summary>Called once the batch committed: reports the work's own result or its own failure.</summary>
    public void Acknowledge()
    {
        if (_error is null)
        {
            _completion.TrySetResult(_result);
        }
        else
        {
            _completion.TrySetException(_error);
        }
    }

    public void Fail(Exception exception) => _completion.TrySetException(exception);
}
