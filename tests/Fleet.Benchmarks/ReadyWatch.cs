using Fleet.Protocol.Agent.V1;

namespace Fleet.Benchmarks;

/// <summary>
/// Waits, from the agents' side, until every agent it covers has sent a Ready report for one capability
/// key at one revision; completes with the timestamp (<see cref="System.Diagnostics.Stopwatch"/>) of the last such send.
/// </summary>
internal sealed class ReadyWatch
{
    private readonly string _key;
    private readonly long _revision;
    private readonly int[] _seen;
    private readonly Func<int, bool> _covers;
    private readonly TaskCompletionSource<long> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _remaining;

    public ReadyWatch(string key, long revision, int agents, Func<int, bool>? covers = null)
    {
        _key = key;
        _revision = revision;
        _seen = new int[agents];
        _covers = covers ?? (_ => true);
        _remaining = Enumerable.Range(0, agents).Count(_covers);
    }

    public Task<long> Completion => _done.Task;

    public int Remaining => Volatile.Read(ref _remaining);

    public void Observe(int agent, CapabilityReport report, long timestamp)
    {
        if (report.Key != _key || report.Revision != _revision || report.State != ResourceState.Ready || !_covers(agent)
            || Interlocked.Exchange(ref _seen[agent], 1) != 0)
        {
            return;
        }

        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            _done.TrySetResult(timestamp);
        }
    }
}
