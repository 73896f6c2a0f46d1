using Fleet.Hub.Hosting.Health;

namespace Fleet.Hub.Tests.Hosting.Health;

/// <summary>
/// A storage probe that counts its calls and answers when the test says: the only way to hold a probe in flight at a
/// chosen moment, which a real database does not offer. It honours cancellation, as Npgsql and SQLite do.
/// </summary>
internal sealed class GatedProbe(bool answers = true) : IStorageProbe
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Completes once a probe is in flight.</summary>
    public Task Entered => _entered.Task;

    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        _entered.TrySetResult();
        if (!answers)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }
}
