using Fleet.Protocol.Admin.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Fleet.Benchmarks;

/// <summary>The operator API (what <c>fleet apply</c>, <c>fleet get targets</c> and <c>fleet get rollouts</c> call), on its own connection.</summary>
internal sealed class HubAdmin(Uri hub) : IDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(hub);

    private FleetAdmin.FleetAdminClient Client => new(_channel);

    /// <summary>Applies one Capability document; fails on any diagnostic.</summary>
    public async Task<ApplyResponse> Apply(string yaml, CancellationToken cancellationToken)
    {
        var response = await Client.ApplyAsync(
            new ApplyRequest { Source = "bench.yaml", Yaml = yaml, FirstLine = 1 },
            deadline: DateTime.UtcNow + CallTimeout,
            cancellationToken: cancellationToken);
        if (response.Errors.Count > 0)
        {
            throw new BenchmarkException("apply refused the benchmark capability: "
                + string.Join("; ", response.Errors.Select(e => $"{e.Line}:{e.Column} {e.Field}: {e.Message}")));
        }

        return response;
    }

    /// <summary>Targets that <c>fleet get targets -l SELECTOR</c> would show as connected.</summary>
    public async Task<int> ConnectedTargets(string selector, CancellationToken cancellationToken)
    {
        var list = await Client.ListTargetsAsync(new ListRequest { Selector = selector }, deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken);
        return list.Items.Count(t => t.Connected);
    }

    public async Task<Rollout> GetRollout(string id, CancellationToken cancellationToken) =>
        await Client.GetRolloutAsync(new GetRequest { Name = id }, deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken);

    /// <summary>Whether the hub answers at all (a cheap call: the catalog).</summary>
    public async Task<bool> Answers(CancellationToken cancellationToken)
    {
        try
        {
            await Client.ListCapabilitiesAsync(new ListRequest(), deadline: DateTime.UtcNow + TimeSpan.FromSeconds(5), cancellationToken: cancellationToken);
            return true;
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown)
        {
            return false;
        }
    }

    public void Dispose() => _channel.Dispose();
}
