using System.Runtime.InteropServices;
using System.Threading.Channels;
using Fleet.Agent.Drivers;
using Fleet.Agent.Hosting;
using Fleet.Protocol.Agent.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Fleet.Agent.Runtime;

/// <summary>
/// One stream to one hub: hello (identity and what runs here), then desired sets in and reports and
/// heartbeats out, until either side ends it. All writes go through one writer loop, in order.
/// </summary>
internal sealed partial class HubSession(
    AgentOptions options,
    Reconciler reconciler,
    TimeProvider time,
    ILogger<HubSession> logger,
    Enrollment.AgentCredentials? credentials = null)
{
    public static readonly string AgentVersion = typeof(HubSession).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>Set once the hub accepted the stream and sent the first desired set.</summary>
    public bool Established { get; private set; }

    public async Task RunAsync(Uri hub, CancellationToken cancellationToken)
    {
        Established = false;
        using var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            KeepAlivePingDelay = TimeSpan.FromSeconds(20),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        };
        // A secure hub: present the current client certificate (renewals take effect on the next session).
        credentials?.Configure(handler);
        using var channel = GrpcChannel.ForAddress(hub, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true, MaxReceiveMessageSize = Fleet.Protocol.AgentStreamLimits.MaxMessageBytes, MaxSendMessageSize = Fleet.Protocol.AgentStreamLimits.MaxMessageBytes });
        var client = new AgentGateway.AgentGatewayClient(channel);
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var call = client.Connect(cancellationToken: session.Token);

        await call.RequestStream.WriteAsync(new AgentMessage { Hello = BuildHello() }, session.Token);

        // Reports still in the outbox (sent on a stream that died, or queued while offline) go out again, in order,
        // after the hello; each heartbeat acknowledged says which of them the hub has processed.
        var delivery = new ReportDelivery();
        var writer = WriteLoop(call.RequestStream, delivery, session.Token);
        try
        {
            await foreach (var message in call.ResponseStream.ReadAllAsync(session.Token))
            {
                switch (message.BodyCase)
                {
                    case HubMessage.BodyOneofCase.Desired:
                        if (!Established)
                        {
                            Established = true;
                            LogConnected(logger, hub.ToString());
                        }

                        reconciler.SetDesired(message.Desired);
                        break;
                    case HubMessage.BodyOneofCase.Rejected:
                        throw new AgentRejectedException(message.Rejected.Reason);
                    case HubMessage.BodyOneofCase.HeartbeatAck:
                        if (delivery.Acknowledged(message.HeartbeatAck.Sequence) is { } delivered)
                        {
                            reconciler.Outbox.Acknowledge(delivered);
                        }

                        break;
                }
            }
        }
        finally
        {
            await session.CancelAsync();
            await writer.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        // The hub ended the stream (restart, shutdown): the caller reconnects.
        throw new RpcException(new Status(StatusCode.Unavailable, "the hub closed the stream"));
    }

    private async Task WriteLoop(IClientStreamWriter<AgentMessage> stream, ReportDelivery delivery, CancellationToken cancellationToken)
    {
        using var heartbeat = new PeriodicTimer(options.HeartbeatInterval, time);
        var sequence = 0L;
        var sent = 0L;
        var beat = heartbeat.WaitForNextTickAsync(cancellationToken).AsTask();
        var report = reconciler.Outbox.WaitAsync(sent, cancellationToken);
        while (!cancellationToken.IsCancellationRequested)
        {
            var fired = await Task.WhenAny(beat, report);
            if (fired == beat)
            {
                await beat;
                await stream.WriteAsync(new AgentMessage { Heartbeat = new Heartbeat { Sequence = ++sequence } }, cancellationToken);
                beat = heartbeat.WaitForNextTickAsync(cancellationToken).AsTask();
            }
            else
            {
                await report;
                foreach (var (number, next) in reconciler.Outbox.After(sent))
                {
                    await stream.WriteAsync(new AgentMessage { Report = next }, cancellationToken);
                    sent = number;
                }

                // A heartbeat right behind the reports: its ack is the hub's receipt for all of them.
                delivery.Sent(++sequence, sent);
                await stream.WriteAsync(new AgentMessage { Heartbeat = new Heartbeat { Sequence = sequence } }, cancellationToken);
                report = reconciler.Outbox.WaitAsync(sent, cancellationToken);
            }
        }
    }

    private Hello BuildHello()
    {
        var hello = new Hello { Name = options.Name, Driver = options.Driver, AgentVersion = AgentVersion };
        foreach (var (key, value) in options.Labels)
        {
            hello.Labels[key] = value;
        }

        hello.Facts.Add(new Dictionary<string, string>
        {
            ["os"] = RuntimeInformation.OSDescription.Length > 200 ? RuntimeInformation.OSDescription[..200] : RuntimeInformation.OSDescription,
            ["arch"] = RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
            ["hostname"] = Environment.MachineName,
            ["agentVersion"] = AgentVersion,
            ["runtime"] = RuntimeInformation.FrameworkDescription,
        });
        hello.Current.Add(reconciler.Current);

        // Every report is bounded on its own; together they still must fit the hello's one message.
        ObservedState.Fit(hello.Current, ObservedState.MaxHelloBytes);
        return hello;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to hub {Hub}")]
    private static partial void LogConnected(ILogger logger, string hub);
}
