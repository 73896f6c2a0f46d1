using Fleet.Hub.Storage;
using Fleet.Hub.Targets;

namespace Fleet.Hub.Agents;

/// <summary>
/// The reports of one agent stream that are not stored yet because storage is down. The stream stays open through
/// the outage (heartbeats need no storage, so the target stays connected), and the reports are tried again before
/// each heartbeat, in order, until storage is back. Meanwhile heartbeats are not acknowledged: an agent counts a
/// report as delivered only on the ack of a heartbeat sent after it, so an agent whose stream does end during the
/// outage still holds every report that was not stored, and sends it again on its next stream.
/// </summary>
/// <remarks>
/// Only the newest report of a capability is kept: it supersedes the older ones (the agent's outbox does the same),
/// and it bounds what an outage can accumulate to one report per capability of the target.
/// </remarks>
/// <param name="deliver">Stores one report through the target's grain; false when the stream was replaced by another.</param>
internal sealed partial class PendingReports(Func<ReportedCapability, Task<bool>> deliver, string name, ILogger logger)
{
    private readonly List<ReportedCapability> _pending = [];

    /// <summary>Another stream of the target took over: nothing more is delivered and this stream ends.</summary>
    public bool Replaced { get; private set; }

    /// <summary>Stores <paramref name="report"/> after those still pending, or keeps it pending while storage is down.</summary>
    public Task<bool> DeliverAsync(ReportedCapability report)
    {
        _pending.RemoveAll(pending => pending.Key == report.Key);
        _pending.Add(report);
        return FlushAsync();
    }

    /// <summary>Stores what is pending, in order; true once nothing is (so a heartbeat may be acknowledged).</summary>
    public async Task<bool> FlushAsync()
    {
        while (_pending.Count > 0)
        {
            try
            {
                if (!await deliver(_pending[0]))
                {
                    Replaced = true;
                    return false;
                }
            }
            catch (Exception e) when (StorageFailure.Find(e) is { } failure)
            {
                LogPending(logger, name, _pending.Count, StorageFailure.Describe(failure));
                return false;
            }

            _pending.RemoveAt(0);
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} report(s) of {Target} wait for storage, the stream stays open: {Reason}")]
    private static partial void LogPending(ILogger logger, string target, int count, string reason);
}
