using Fleet.Hub.Hosting;
using Fleet.Hub.Storage;
using Orleans.Configuration;

namespace Fleet.Hub.Clustering;

/// <summary>
/// How the hub's silo finds its peers: alone on SQLite (localhost clustering), or as one node of the
/// Orleans cluster <see cref="HubOptions.ClusterId"/> whose membership lives in PostgreSQL.
/// </summary>
internal static class ClusteringSiloBuilderExtensions
{
    public static ISiloBuilder AddFleetClustering(this ISiloBuilder silo, HubOptions options)
    {
        if (options.Storage != HubOptions.PostgresStorage)
        {
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: HubOptions.DefaultClusterId, clusterId: HubOptions.DefaultClusterId);
            silo.Configure<ClusterMembershipOptions>(membership => membership.ProbeTimeout = TimeSpan.FromSeconds(5));
            return silo;
        }

        var advertised = AdvertisedAddress.Resolve(options);
        silo.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = options.ClusterId;
            cluster.ServiceId = options.ClusterId;
        });
        silo.ConfigureEndpoints(advertised, options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: !System.Net.IPAddress.IsLoopback(advertised));
        silo.Configure<ClusterMembershipOptions>(FailureDetection.Apply);
        silo.ConfigureServices(services => services.AddSingleton<IMembershipTable, PostgresMembershipTable>());
        if (options.Insecure)
        {
            silo.ConfigureServices(services => services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, InsecureNodeGuard>());
        }

        return silo;
    }
}
