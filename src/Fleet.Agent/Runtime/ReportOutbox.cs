using Fleet.Agent.Drivers.Pipeline;
using Fleet.Protocol.Agent.V1;
using Google.Protobuf;

namespace Fleet.Agent.Runtime;

/// <summary>
/// Reports not yet acknowledged by a hub, in the order they happened, persisted in the state directory (atomic
/// replace) so that what the agent saw while the hub was unreachable — drift corrected, a failure, a removal —
/// reaches the hub after a reconnect, even across an agent restart. A report leaves the outbox only when the hub
/// has acknowledged a heartbeat sent after it: the hub handles a stream's messages in order, so that ack proves
/// the report was processed. Delivery is at least once; reports are level-triggered, so a repeat is harmless.
/// </summary>
internal sealed class ReportOutbox
{
    public const string FileName = "outbox.pb";

    /// <summary>
    /// Bound on what is kept while offline. Beyond it, older reports of a key that has a newer one are dropped first:
    /// the newest report per key is the state, the rest only history.
    /// </summary>
    public const int MaxPending = 1000;

    private readonly string _path;
    private readonly List<(long Sequence, CapabilityReport Report)> _pending = [];
    private readonly Lock _gate = new();
    private TaskCompletionSource _more = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _sequence;

    public ReportOutbox(string stateDirectory)
    {
        OwnerOnlyDirectory.Ensure(stateDirectory);
        _path = Path.Combine(stateDirectory, FileName);
        foreach (var report in Load(_path))
        {
            _pending.Add((++_sequence, report));
        }
    }

    /// <summary>The sequence of the newest report ever queued in this process (0: none).</summary>
    public long LastSequence
    {
        get
        {
            lock (_gate)
            {
                return _sequence;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    public void Enqueue(CapabilityReport report)
    {
        TaskCompletionSource more;
        lock (_gate)
        {
            _pending.Add((++_sequence, report.Clone()));
            if (_pending.Count > MaxPending)
            {
                Compact();
            }

            Save();
            more = _more;
            _more = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        more.TrySetResult();
    }

    /// <summary>The queued reports after <paramref name="afterSequence"/>, oldest first.</summary>
    public IReadOnlyList<(long Sequence, CapabilityReport Report)> After(long afterSequence)
    {
        lock (_gate)
        {
            return [.. _pending.Where(p => p.Sequence > afterSequence)];
        }
    }

    /// <summary>Completes once a report after <paramref name="afterSequence"/> is queued.</summary>
    public Task WaitAsync(long afterSequence, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _pending.Exists(p => p.Sequence > afterSequence) ? Task.CompletedTask : _more.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Forgets every report up to <paramref name="sequence"/>: a hub has processed them.</summary>
    public void Acknowledge(long sequence)
    {
        lock (_gate)
        {
            if (_pending.RemoveAll(p => p.Sequence <= sequence) > 0)
            {
                Save();
            }
        }
    }

    private void Compact()
    {
        var newest = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (sequence, report) in _pending)
        {
            newest[report.Key] = sequence;
        }

        var excess = _pending.Count - MaxPending;
        for (var i = 0; i < _pending.Count && excess > 0;)
        {
            if (newest[_pending[i].Report.Key] != _pending[i].Sequence)
            {
                _pending.RemoveAt(i);
                excess--;
            }
            else
            {
                i++;
            }
        }
        if (_pending.Count > MaxPending)
        {
            // More keys than the bound: the oldest states go; the hello of the next stream restates the current ones.
            _pending.RemoveRange(0, _pending.Count - MaxPending);
        }
    }

    private void Save()
    {
        using var buffer = new MemoryStream();
        foreach (var (_, report) in _pending)
        {
            report.WriteDelimitedTo(buffer);
        }

        AtomicFile.Write(_path, buffer.GetBuffer().AsSpan(0, (int)buffer.Length), OwnerOnlyDirectory.FileMode);
    }

    private static List<CapabilityReport> Load(string path)
    {
        var reports = new List<CapabilityReport>();
        if (!File.Exists(path))
        {
            return reports;
        }

        try
        {
            using var stream = File.OpenRead(path);
            while (stream.Position < stream.Length)
            {
                reports.Add(CapabilityReport.Parser.ParseDelimitedFrom(stream));
            }
        }
        catch (InvalidProtocolBufferException)
        {
            // A torn file cannot come from the atomic replace; a foreign one is dropped: the next hello restates everything.
            reports.Clear();
        }

        return reports;
    }
}
