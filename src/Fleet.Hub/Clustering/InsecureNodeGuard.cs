using Fleet.Hub.Hosting;
using Fleet.Hub.Security;

namespace Fleet.Hub.Clustering;

/// <summary>
/// Refuses an <c>--insecure</c> node on a cluster whose nodes are secure. It would join the same Orleans
/// cluster and serve the same grains to anyone without a token: a hole through every other node's
/// security, by one wrong flag. Checked before the silo joins, so the refused node never becomes a member.
/// </summary>
/// <remarks>
/// A cluster is secure once a secure node stored its CA (<see cref="IClusterCaStore"/>). To turn a
/// cluster insecure on purpose (development), stop every node and delete its <c>cluster_ca</c> row.
/// </remarks>
internal sealed class InsecureNodeGuard(IClusterCaStore clusterCa, HubOptions options) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(InsecureNodeGuard), ServiceLifecycleStage.RuntimeStorageServices + 1, CheckAsync);

    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        if (await clusterCa.FindAsync().WaitAsync(cancellationToken) is { } ca)
        {
            throw new HubStartupException(
                $"cluster '{options.ClusterId}' is secure (its nodes share the CA {ca.Fingerprint}): an --insecure node would open it to anyone; " +
                "start this node without --insecure, or use another --cluster-id");
        }
    }
}
