using System.Diagnostics;
using Fleet.Agent.Enrollment;
using Fleet.Protocol.Admin.V1;
using Fleet.Protocol.Security.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Fleet.Hub.Tests.Clustering;

/// <summary>
/// One fleet-hub process of a test's cluster, with clients on its own address. A secure node's clients
/// trust the CA in its data directory and present <see cref="HubCluster.AdminToken"/>; they are made on
/// first use, since both files exist only once the node has started.
/// </summary>
internal sealed class ClusterNode : IAsyncDisposable
{
    private readonly Lazy<GrpcChannel> _channel;

    public ClusterNode(int index, Process process, string url, string dataDirectory, string log, Func<string?> token)
    {
        Index = index;
        Process = process;
        Url = url;
        DataDirectory = dataDirectory;
        Log = log;
        // PublicationOnly: a failed attempt (files not written yet) is not remembered.
        _channel = new Lazy<GrpcChannel>(() => Channel(token()), LazyThreadSafetyMode.PublicationOnly);
    }

    public int Index { get; }

    public Process Process { get; }

    public string Url { get; }

    public string DataDirectory { get; }

    public string Ca => Path.Combine(DataDirectory, "ca.crt");

    public string Log { get; }

    public FleetAdmin.FleetAdminClient Admin => new(_channel.Value);

    public FleetSecurity.FleetSecurityClient Security => new(_channel.Value);

    public bool Alive => !Process.HasExited;

    /// <summary>SIGKILL: the node gets no chance to leave the cluster or flush anything.</summary>
    public async Task KillAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }

        await Process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel.IsValueCreated)
        {
            _channel.Value.Dispose();
        }

        await KillAsync();
        Process.Dispose();
    }

    private GrpcChannel Channel(string? token)
    {
        if (!Url.StartsWith("https://", StringComparison.Ordinal))
        {
            return GrpcChannel.ForAddress(Url);
        }

        var credentials = CallCredentials.FromInterceptor((_, metadata) =>
        {
            metadata.Add("authorization", $"Bearer {token}");
            return Task.CompletedTask;
        });
        return GrpcChannel.ForAddress(Url, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { SslOptions = HubTls.ClientOptions(HubTls.LoadTrust(Ca), null) },
            DisposeHttpClient = true,
            Credentials = ChannelCredentials.Create(ChannelCredentials.SecureSsl, credentials),
        });
    }
}
