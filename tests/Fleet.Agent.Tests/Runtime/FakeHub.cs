using System.Collections.Concurrent;
using System.Net;
using Fleet.Protocol.Agent.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fleet.Agent.Tests.Runtime;

/// <summary>
/// A stand-in hub on loopback (plaintext h2c, like a hub started with --insecure): a real gRPC AgentGateway that
/// answers every hello with one desired set, acknowledges heartbeats and records what the agent reported and when its
/// streams ended. The real hub lives in Fleet.Hub, which the agent tests do not reference (its tests run agents too).
/// </summary>
internal sealed class FakeHub : AgentGateway.AgentGatewayBase, IAsyncDisposable
{
    private readonly DesiredSet _desired;
    private readonly WebApplication _app;
    private int _opened;
    private int _ended;

    private FakeHub(DesiredSet desired)
    {
        _desired = desired;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(this);
        _app = builder.Build();
        _app.MapGrpcService<FakeHub>();
    }

    /// <summary>Where the agent connects: the port Kestrel bound (port 0, so it is taken in the bind itself).</summary>
    public Uri Address { get; private set; } = null!;

    public ConcurrentQueue<CapabilityReport> Reports { get; } = new();

    public int OpenedStreams => Volatile.Read(ref _opened);

    public int EndedStreams => Volatile.Read(ref _ended);

    public static async Task<FakeHub> StartAsync(DesiredSet desired)
    {
        var hub = new FakeHub(desired);
        await hub._app.StartAsync(TestContext.Current.CancellationToken);
        var address = hub._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        hub.Address = new Uri(address);
        return hub;
    }

    public override async Task Connect(IAsyncStreamReader<AgentMessage> requestStream, IServerStreamWriter<HubMessage> responseStream, ServerCallContext context)
    {
        Interlocked.Increment(ref _opened);
        try
        {
            await foreach (var message in requestStream.ReadAllAsync(context.CancellationToken))
            {
                switch (message.BodyCase)
                {
                    case AgentMessage.BodyOneofCase.Hello:
                        await responseStream.WriteAsync(new HubMessage { Desired = _desired }, context.CancellationToken);
                        break;
                    case AgentMessage.BodyOneofCase.Report:
                        Reports.Enqueue(message.Report);
                        break;
                    case AgentMessage.BodyOneofCase.Heartbeat:
                        await responseStream.WriteAsync(
                            new HubMessage { HeartbeatAck = new HeartbeatAck { Sequence = message.Heartbeat.Sequence, LeaseSeconds = 30 } },
                            context.CancellationToken);
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The agent went away mid-stream: that is what the tests look for, not an error of this hub.
        }
        finally
        {
            Interlocked.Increment(ref _ended);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
