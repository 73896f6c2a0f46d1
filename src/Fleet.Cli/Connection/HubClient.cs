using Fleet.Agent.Enrollment;
using Fleet.Protocol.Admin.V1;
using Fleet.Protocol.Security.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Fleet.Cli.Connection;

/// <summary>
/// A channel to the hub's operator API. <c>http://</c> means plaintext h2c (a hub started with --insecure);
/// <c>https://</c> means TLS, trusting only <paramref name="caFile"/> when given, with the token sent as a
/// bearer credential on every call. A token is never sent over plaintext.
/// </summary>
internal sealed class HubClient : IDisposable
{
    private readonly GrpcChannel _channel;

    public HubClient(Uri hub, string? token = null, string? caFile = null)
    {
        Address = hub;
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5), EnableMultipleHttp2Connections = true };
        var options = new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true, MaxReceiveMessageSize = 64 * 1024 * 1024 };
        if (hub.Scheme == Uri.UriSchemeHttps)
        {
            handler.SslOptions = HubTls.ClientOptions(caFile is null ? null : LoadTrust(caFile), clientCertificate: null);
            if (token is not null)
            {
                options.Credentials = ChannelCredentials.Create(ChannelCredentials.SecureSsl, CallCredentials.FromInterceptor((_, metadata) =>
                {
                    metadata.Add("authorization", $"Bearer {token}");
                    return Task.CompletedTask;
                }));
            }
        }

        _channel = GrpcChannel.ForAddress(hub, options);
        Admin = new FleetAdmin.FleetAdminClient(_channel);
        Security = new FleetSecurity.FleetSecurityClient(_channel);
    }

    public Uri Address { get; }

    public FleetAdmin.FleetAdminClient Admin { get; }

    public FleetSecurity.FleetSecurityClient Security { get; }

    /// <summary>Every call gets a deadline: a hung hub must not hang the CLI.</summary>
    public static DateTime Deadline => DateTime.UtcNow.AddSeconds(30);

    public void Dispose() => _channel.Dispose();

    private static System.Security.Cryptography.X509Certificates.X509Certificate2Collection LoadTrust(string caFile)
    {
        try
        {
            return HubTls.LoadTrust(caFile);
        }
        catch (InvalidDataException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
