using Fleet.Protocol.Agent.V1;

namespace Fleet.Benchmarks;

/// <summary>
/// After a hub restart: an agent is back in sync when a new stream's desired set equals (by content hash)
/// the one it held before the restart, so the hub had nothing different to resend. Only the agents it covers count
/// (with several nodes: those whose node was killed).
/// </summary>
internal sealed class ResyncWatch
{
    private readonly string[] _expected;
    private readonly int[] _sessionAtStart;
    private readonly int[] _synced;
    private readonly TaskCompletionSource<long> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _remaining;
    private int _different;

    public ResyncWatch(IReadOnlyList<SimulatedAgent> agents, IReadOnlyList<int> sessions, Func<int, bool> covers)
    {
        _expected = agents.Select(a => a.LastDesiredHash).ToArray();
        _sessionAtStart = [.. sessions];
        // An agent not covered counts as synced from the start.
        _synced = agents.Select(a => covers(a.Index) ? 0 : 1).ToArray();
        _remaining = _synced.Count(s => s == 0);
        if (_remaining == 0)
        {
            _done.TrySetResult(System.Diagnostics.Stopwatch.GetTimestamp());
        }
    }

    public Task<long> Completion => _done.Task;

    public int Remaining => Volatile.Read(ref _remaining);

    /// <summary>Desired sets after the restart that differed from what the agent held.</summary>
    public int Different => Volatile.Read(ref _different);

    public void Observe(int agent, DesiredSet desired, int session, long timestamp)
    {
        if (session <= _sessionAtStart[agent])
        {
            return;
        }

        if (desired.Hash != _expected[agent])
        {
            Interlocked.Increment(ref _different);
            return;
        }

        if (Interlocked.Exchange(ref _synced[agent], 1) == 0 && Interlocked.Decrement(ref _remaining) == 0)
        {
            _done.TrySetResult(timestamp);
        }
    }
}
