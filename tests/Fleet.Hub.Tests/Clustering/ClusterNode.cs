using System.Diagnostics;
using Fleet.Protocol.Admin.V1;
using Grpc.Net.Client;

namespace Fleet.Hub.Tests.Clustering;

/// <summary>One fleet-hub process of a test's cluster, with an admin client on its own address.</summary>
internal sealed class ClusterNode : IAsyncDisposable
{
    private readonly GrpcChannel _channel;

    public ClusterNode(int index, Process process, int port, int siloPort, string log)
    {
        Index = index;
        Process = process;
        Port = port;
        SiloPort = siloPort;
        Log = log;
        _channel = GrpcChannel.ForAddress(Url);
        Admin = new FleetAdmin.FleetAdminClient(_channel);
    }

    public int Index { get; }

    public Process Process { get; }

    public int Port { get; }

    public int SiloPort { get; }

    public string Log { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public FleetAdmin.FleetAdminClient Admin { get; }

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
        _channel.Dispose();
        await KillAsync();
        Process.Dispose();
    }
}
