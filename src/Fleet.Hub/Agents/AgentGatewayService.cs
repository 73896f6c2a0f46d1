using Fleet.Hub.Clustering;
using Fleet.Hub.Security;
using Fleet.Hub.Targets;
using Fleet.Protocol.Agent.V1;
using Grpc.Core;

namespace Fleet.Hub.Agents;

/// <summary>
/// The agent stream: validates the hello, attaches an observer to the target's grain for pushes, and
/// forwards reports and heartbeats. Thin by design: every decision is the TargetGrain's.
/// </summary>
/// <remarks>
/// In a hub of several nodes the target's grain may live on another node, and may lose the stream
/// when a node dies (its new activation knows no stream). The stream then re-attaches: when the grain
/// answers a heartbeat or report with "not my stream", and at once when a node leaves the cluster.
/// </remarks>
internal sealed partial class AgentGatewayService(
    IGrainFactory grains,
    IHostApplicationLifetime lifetime,
    ClusterChanges cluster,
    AgentTrustCheck trust,
    EnrolledIdentityCheck identity,
    Observability.FleetMetrics metrics,
    Dashboard.DashboardChanges dashboard,
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

        var (agentHello, refusal) = await identity.CheckAsync(context, hello.Name, AgentMessageValidator.ToHello(hello));
        if (agentHello is null)
        {
            await Reject(responseStream, refusal!);
            return;
        }

        var session = Guid.NewGuid();
        // Streams end when the hub stops, so shutdown does not wait on agents and they fail over at once.
        using var streamDone = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        string? cutOffReason = null;
        var observer = new AgentStreamObserver(reason =>
        {
            cutOffReason = reason;
            CancelQuietly(streamDone);
        });
        var reference = grains.CreateObjectReference<IAgentObserver>(observer);
        var stream = new AgentStream(hello.Name, session, grains.GetGrain<ITargetGrain>(hello.Name), reference, observer, responseStream, context);
        Task? pump = null;
        Task? keeper = null;
        metrics.StreamOpened();
        try
        {
            var desired = await stream.Target.Connect(session, agentHello, reference);
            await stream.Send(desired, streamDone.Token);
            pump = PumpDesired(stream, streamDone.Token);
            keeper = ReattachOnDepartures(stream, streamDone);
            await ReadLoop(stream, requestStream, streamDone);
        }
        catch (OperationCanceledException) when (streamDone.IsCancellationRequested)
        {
            // The agent went away, the hub is stopping, or the stream was cut off (below).
        }
        catch (IOException)
        {
            // The connection broke mid-read.
        }
        finally
        {
            metrics.StreamClosed();
            CancelQuietly(streamDone);
            foreach (var task in new[] { pump, keeper }.OfType<Task>())
            {
                await task.ContinueWith(_ => { }, TaskScheduler.Default);
            }

            try
            {
                await stream.Target.Disconnect(session);
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

        if (cutOffReason is not null)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, cutOffReason));
        }
    }

    private async Task ReadLoop(AgentStream stream, IAsyncStreamReader<AgentMessage> requestStream, CancellationTokenSource streamDone)
    {
        var cancellationToken = streamDone.Token;
        var reports = new PendingReports(
            async report => await stream.Target.Report(stream.Session, report)
                            || (await Reattach(stream, cancellationToken) && await stream.Target.Report(stream.Session, report)),
            stream.Name,
            logger);
        while (await requestStream.MoveNext(cancellationToken))
        {
            var message = requestStream.Current;
            switch (message.BodyCase)
            {
                case AgentMessage.BodyOneofCase.Report:
                    if (AgentMessageValidator.ValidateReport(message.Report) is { } problem)
                    {
                        LogBadReport(logger, stream.Name, problem);
                        continue;
                    }

                    var report = AgentMessageValidator.ToReport(message.Report);
                    metrics.Reported(report.Removed ? "Removed" : report.State.ToString());
                    var delivered = await reports.DeliverAsync(report);
                    // After the target grain stored it and updated the index: a page that looks now reads the report.
                    dashboard.Publish("target");
                    if (!delivered && reports.Replaced)
                    {
                        // Another stream for the same target took over; this one ends.
                        return;
                    }

                    break;
                case AgentMessage.BodyOneofCase.Heartbeat:
                    if (!await stream.Target.Heartbeat(stream.Session) && !await Reattach(stream, cancellationToken))
                    {
                        return;
                    }

                    if (!await reports.FlushAsync())
                    {
                        if (reports.Replaced)
                        {
                            return;
                        }

                        // Storage is down: no receipt for reports not stored; the stream stays open.
                        break;
                    }

                    await stream.Write(new HubMessage
                    {
                        HeartbeatAck = new HeartbeatAck { Sequence = message.Heartbeat.Sequence, LeaseSeconds = (int)TargetGrain.Lease.TotalSeconds },
                    }, cancellationToken);
                    break;
                default:
                    await Reject(stream.Writer, $"unexpected {message.BodyCase} after hello");
                    return;
            }
        }
    }

    /// <summary>
    /// Attaches the stream to its target's grain again if that grain lost it; false when another stream
    /// took over (this one must end). A revoked certificate ends the stream here too, since the
    /// revocation may have reached the grain while it had no stream.
    /// </summary>
    private async Task<bool> Reattach(AgentStream stream, CancellationToken cancellationToken)
    {
        if (await trust.ProblemAsync(stream.Context) is { } problem)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, problem));
        }

        var outcome = await stream.Target.Attach(stream.Session, stream.Reference);
        switch (outcome.Status)
        {
            case AttachStatus.Resumed:
                LogReattached(logger, stream.Name);
                await stream.Send(outcome.Desired!, cancellationToken);
                return true;
            case AttachStatus.Attached:
                return true;
            default:
                return false;
        }
    }

    private async Task ReattachOnDepartures(AgentStream stream, CancellationTokenSource streamDone)
    {
        while (!streamDone.IsCancellationRequested)
        {
            await cluster.NextDepartureAsync(streamDone.Token);
            try
            {
                if (!await Reattach(stream, streamDone.Token))
                {
                    CancelQuietly(streamDone);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException and not RpcException)
            {
                // The grain's new home may not be ready yet; the agent's next heartbeat tries again.
                LogReattachFailed(logger, stream.Name, e.GetType().Name, e.Message);
            }
        }
    }

    private static async Task PumpDesired(AgentStream stream, CancellationToken cancellationToken)
    {
        await foreach (var desired in stream.Observer.Desired.ReadAllAsync(cancellationToken))
        {
            await stream.Send(desired, cancellationToken);
        }
    }

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The stream already ended.
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
