using System.Threading.Channels;

namespace Fleet.Hub.Agents;

/// <summary>
/// Receives desired sets from the TargetGrain for one agent stream. Only the newest desired set matters
/// (the protocol is level-triggered), so the buffer holds one and drops older ones.
/// </summary>
internal sealed class AgentStreamObserver : Targets.IAgentObserver
{
    private readonly Channel<byte[]> _desired = Channel.CreateBounded<byte[]>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public ChannelReader<byte[]> Desired => _desired.Reader;

    public void OnDesiredSet(byte[] desiredSet) => _desired.Writer.TryWrite(desiredSet);
}
