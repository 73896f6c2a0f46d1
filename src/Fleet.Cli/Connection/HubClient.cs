using Fleet.Protocol.Admin.V1;
using Grpc.Net.Client;

namespace Fleet.Cli.Connection;

/// <summary>A channel to the hub's operator API. <c>http://</c> means plaintext h2c (a hub started with --insecure).</summary>
internal sealed class HubClient : IDisposable
{
    private readonly GrpcChannel _channel;

    public HubClient(Uri hub)
    {
        Address = hub;
        _channel = GrpcChannel.ForAddress(hub, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5), EnableMultipleHttp2Connections = true },
            DisposeHttpClient = true,
            MaxReceiveMessageSize = 64 * 1024 * 1024,
        });
        Admin = new FleetAdmin.FleetAdminClient(_channel);
    }

    public Uri Address { get; }

    public FleetAdmin.FleetAdminClient Admin { get; }

    /// <summary>Every call gets a deadline: a hung hub must not hang the CLI.</summary>
    public static DateTime Deadline => DateTime.UtcNow.AddSeconds(30);

    public void Dispose() => _channel.Dispose();
}
