using Fleet.Agent.Enrollment;
using Fleet.Protocol.Admin.V1;
using Fleet.Protocol.Security.V1;
using Grpc.Core;
using Grpc.Core.Interceptors;
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

    public HubClient(Uri hub, string? token = null, string? caFile = null, TimeSpan? timeout = null)
    {
        Address = hub;
        Timeout = timeout ?? DefaultTimeout;
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
        var invoker = _channel.Intercept(new HubFailureInterceptor(hub));
        Admin = new FleetAdmin.FleetAdminClient(invoker);
        Security = new FleetSecurity.FleetSecurityClient(invoker);
    }

    public Uri Address { get; }

    public FleetAdmin.FleetAdminClient Admin { get; }

    public FleetSecurity.FleetSecurityClient Security { get; }

    /// <summary>How long a call may wait for the hub's answer unless <c>--timeout</c> says otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public TimeSpan Timeout { get; }

    /// <summary>Every call gets a deadline: a hung hub must not hang the CLI.</summary>
    public DateTime Deadline => DateTime.UtcNow + Timeout;

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
