using Fleet.Hub.Targets;
using Fleet.Protocol.Agent.V1;
using Grpc.Core;

namespace Fleet.Hub.Agents;

/// <summary>
/// The agent stream: validates the hello, attaches an observer to the target's grain for pushes, and
/// forwards reports and heartbeats. Thin by design: every decision is the TargetGrain's.
/// </summary>
internal sealed partial class AgentGatewayService(
    IGrainFactory grains,
    IHostApplicationLifetime lifetime,
    Observability.FleetMetrics metrics,
    ILogger<AgentGatewayService> logger) : AgentGateway.AgentGatewayBase
{
    public override async Task Connect(
        IAsyncStreamReader<AgentMessage> requestStream,
        IServerStreamWriter<HubMessage> responseStream,
        ServerCallContext context)
    {
        var hello = await ReadHello(requestStream, context.CancellationToken);
        if (hello is null)
        {
            await Reject(responseStream, "the first message on the stream must be a hello, within " + AgentMessageLimits.HelloTimeout.TotalSeconds + " s");
            return;
        }

        if (AgentMessageValidator.ValidateHello(hello) is { } problem)
        {
            LogRejected(logger, problem);
            await Reject(responseStream, problem);
            return;
        }

        var session = Guid.NewGuid();
        var observer = new AgentStreamObserver();
        var reference = grains.CreateObjectReference<IAgentObserver>(observer);
        var target = grains.GetGrain<ITargetGrain>(hello.Name);
        // Streams end when the hub stops, so shutdown does not wait on agents and they fail over at once.
        using var streamDone = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        using var writeLock = new SemaphoreSlim(1, 1);
        Task? pump = null;
        metrics.StreamOpened();
        try
        {
            var desired = await target.Connect(session, AgentMessageValidator.ToHello(hello), reference);
            await Write(responseStream, writeLock, new HubMessage { Desired = DesiredSet.Parser.ParseFrom(desired) }, streamDone.Token);
            pump = PumpDesired(observer, responseStream, writeLock, streamDone.Token);
            await ReadLoop(hello.Name, session, target, requestStream, responseStream, writeLock, streamDone.Token);
        }
        catch (OperationCanceledException) when (streamDone.IsCancellationRequested)
        {
            // The agent went away, or the hub is stopping.
        }
        catch (IOException)
        {
            // The connection broke mid-read.
        }
        finally
        {
            metrics.StreamClosed();
            await streamDone.CancelAsync();
            if (pump is not null)
            {
                await pump.ContinueWith(_ => { }, TaskScheduler.Default);
            }

            try
            {
                await target.Disconnect(session);
            }
            catch (Exception e) when (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                // The silo is going down with us; the target is disconnected by the restart anyway.
                LogDisconnectDuringShutdown(logger, hello.Name, e.GetType().Name);
            }

            grains.DeleteObjectReference<IAgentObserver>(reference);
            // The grain holds the observer weakly; keep it alive for the stream's whole life.
            GC.KeepAlive(observer);
        }
    }

    private async Task ReadLoop(
        string name,
        Guid session,
        ITargetGrain target,
        IAsyncStreamReader<AgentMessage> requestStream,
        IServerStreamWriter<HubMessage> responseStream,
        SemaphoreSlim writeLock,
        CancellationToken cancellationToken)
    {
        var reports = new PendingReports(target, session, name, logger);
        while (await requestStream.MoveNext(cancellationToken))
        {
            var message = requestStream.Current;
            switch (message.BodyCase)
            {
                case AgentMessage.BodyOneofCase.Report:
                    if (AgentMessageValidator.ValidateReport(message.Report) is { } problem)
                    {
                        LogBadReport(logger, name, problem);
                        continue;
                    }

                    var report = AgentMessageValidator.ToReport(message.Report);
                    metrics.Reported(report.Removed ? "Removed" : report.State);
                    await reports.DeliverAsync(report);
                    break;
                case AgentMessage.BodyOneofCase.Heartbeat:
                    if (!await target.Heartbeat(session))
                    {
                        // Another stream for the same target took over; this one ends.
                        return;
                    }

                    if (!await reports.FlushAsync())
                    {
                        // Storage is down: no receipt for reports not stored; the stream stays open.
                        break;
                    }

                    await Write(responseStream, writeLock, new HubMessage
                    {
                        HeartbeatAck = new HeartbeatAck { Sequence = message.Heartbeat.Sequence, LeaseSeconds = (int)TargetGrain.Lease.TotalSeconds },
                    }, cancellationToken);
                    break;
                default:
                    await Reject(responseStream, $"unexpected {message.BodyCase} after hello");
                    return;
            }
        }
    }

    private static async Task PumpDesired(
        AgentStreamObserver observer,
        IServerStreamWriter<HubMessage> responseStream,
        SemaphoreSlim writeLock,
        CancellationToken cancellationToken)
    {
        await foreach (var desired in observer.Desired.ReadAllAsync(cancellationToken))
        {
            await Write(responseStream, writeLock, new HubMessage { Desired = DesiredSet.Parser.ParseFrom(desired) }, cancellationToken);
        }
    }

    private static async Task<Hello?> ReadHello(IAsyncStreamReader<AgentMessage> requestStream, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(AgentMessageLimits.HelloTimeout);
        try
        {
            return await requestStream.MoveNext(timeout.Token) && requestStream.Current.BodyCase == AgentMessage.BodyOneofCase.Hello
                ? requestStream.Current.Hello
                : null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static async Task Write(IServerStreamWriter<HubMessage> stream, SemaphoreSlim writeLock, HubMessage message, CancellationToken cancellationToken)
    {
        await writeLock.WaitAsync(cancellationToken);
        try
        {
            await stream.WriteAsync(message, cancellationToken);
        }
        finally
        {
            writeLock.Release();
        }
    }

    private static async Task Reject(IServerStreamWriter<HubMessage> stream, string reason)
    {
        try
        {
            await stream.WriteAsync(new HubMessage { Rejected = new Rejected { Reason = reason } });
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or OperationCanceledException)
        {
            // The agent is already gone; there is no one to tell.
        }
    }
}
