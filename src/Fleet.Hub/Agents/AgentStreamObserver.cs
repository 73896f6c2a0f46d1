using System.Threading.Channels;
using Fleet.Hub.Targets;

namespace Fleet.Hub.Agents;

/// <summary>
/// Receives desired sets from the TargetGrain for one agent stream, on whichever node the grain lives.
/// Only the newest desired set matters (the protocol is level-triggered), so the buffer holds one and
/// drops older ones; one that is older than what the stream already sent (a stale activation during a
/// membership change) is dropped when it is written.
/// </summary>
internal sealed class AgentStreamObserver(Action<string> cutOff) : IAgentObserver
{
    private readonly Channel<VersionedDesiredSet> _desired = Channel.CreateBounded<VersionedDesiredSet>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public ChannelReader<VersionedDesiredSet> Desired => _desired.Reader;

    public void OnDesiredSet(VersionedDesiredSet desiredSet) => _desired.Writer.TryWrite(desiredSet);

    public void OnCutOff(string reason) => cutOff(reason);
}
