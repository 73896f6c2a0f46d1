namespace Fleet.Agent.Runtime;

/// <summary>
/// Which outbox reports each heartbeat of one stream follows. The hub handles a stream's messages in order and acks a
/// heartbeat only after handling it, so the ack of heartbeat N is a receipt for every report written before it.
/// </summary>
internal sealed class ReportDelivery
{
    private readonly Queue<(long Heartbeat, long Report)> _inFlight = new();
    private readonly Lock _gate = new();

    public void Sent(long heartbeat, long lastReport)
    {
        lock (_gate)
        {
            _inFlight.Enqueue((heartbeat, lastReport));
        }
    }

    /// <summary>The newest report sequence the ack of <paramref name="heartbeat"/> confirms, or null when it confirms none.</summary>
    public long? Acknowledged(long heartbeat)
    {
        lock (_gate)
        {
            long? delivered = null;
            while (_inFlight.TryPeek(out var next) && next.Heartbeat <= heartbeat)
            {
                delivered = _inFlight.Dequeue().Report;
            }

            return delivered;
        }
    }
}
