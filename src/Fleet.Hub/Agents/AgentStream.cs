using Fleet.Hub.Targets;
using Fleet.Protocol.Agent.V1;
using Grpc.Core;

namespace Fleet.Hub.Agents;

/// <summary>
/// One open agent stream on this node: who it is, its grain and observer, and its one writer. Writes
/// are serialised (the pump, heartbeat answers and re-attaches all write), and a desired set older
/// than the last one sent is dropped (<see cref="VersionedDesiredSet"/>).
/// </summary>
internal sealed class AgentStream(
    string name,
    Guid session,
    ITargetGrain target,
    IAgentObserver reference,
    AgentStreamObserver observer,
    IServerStreamWriter<HubMessage> writer,
    ServerCallContext context)
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private long _sentVersion = -1;

    public string Name => name;

    public Guid Session => session;

    public ITargetGrain Target => target;

    public IAgentObserver Reference => reference;

    public AgentStreamObserver Observer => observer;

    public IServerStreamWriter<HubMessage> Writer => writer;

    public ServerCallContext Context => context;

    public async Task Send(VersionedDesiredSet desired, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (desired.Version < _sentVersion)
            {
                return;
            }

            _sentVersion = desired.Version;
            await writer.WriteAsync(new HubMessage { Desired = DesiredSet.Parser.ParseFrom(desired.Bytes) }, cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task Write(HubMessage message, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await writer.WriteAsync(message, cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
