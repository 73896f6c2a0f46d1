using Fleet.Domain.Rendering;
using Fleet.Hub.Admin;
using Fleet.Hub.Agents;
using Fleet.Hub.Clustering;
using Fleet.Hub.Dashboard;
using Fleet.Hub.Hosting.Health;
using Fleet.Hub.Observability;
using Fleet.Hub.Rendering;
using Fleet.Hub.Security;
using Fleet.Hub.Storage;
using Fleet.Hub.Webhooks;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Fleet.Hub.Hosting;

/// <summary>Builds the hub: ASP.NET Core (gRPC for agents and operators) and an Orleans silo in one process.</summary>
public static class HubHost
{
    /// <param name="configureServices">Runs last, so tests can replace services (e.g. the security clock).</param>
    public static WebApplication Build(HubOptions options, Action<ILoggingBuilder>? configureLogging = null, Action<IServiceCollection>? configureServices = null)
    {
        // The operator's files and directory are checked before anything starts: a problem there is one
        // clear HubStartupException, not a failure deep inside Kestrel or a silo start task.
        if (!options.Insecure)
        {
            HubPki.CheckOperatorFiles(options);
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.AddFleetDataDirectory(options);
        builder.WebHost.UseUrls(options.EffectiveUrls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Plaintext gRPC needs HTTP/2 with prior knowledge (h2c): there is no TLS to negotiate it.
            kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http2);
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1000;
        });

        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        configureLogging?.Invoke(builder.Logging);

        builder.UseOrleans(silo =>
        {
            silo.AddFleetClustering(options);
            silo.AddFleetStorage(options);
            silo.AddStartupTask<RecoverOnStart>();
        });

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(TemplateEnvironment.Engine);
        builder.Services.AddSingleton<CompiledRevisionCache>();
        builder.Services.AddSingleton<ClusterChanges>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ClusterChanges>());
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = AgentMessageLimits.MaxMessageBytes;
            grpc.MaxSendMessageSize = Fleet.Protocol.AgentStreamLimits.MaxMessageBytes;
        }).AddServiceOptions<FleetAdminService>(grpc => grpc.MaxReceiveMessageSize = Fleet.Protocol.ApplyLimits.MaxRequestBytes);
        builder.AddFleetSecurity(options);
        builder.AddFleetObservability(options);
        builder.AddFleetHealth(options);
        builder.AddFleetWebhooks(options);
        builder.AddFleetDashboard(options);
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseFleetHealth();
        app.UseFleetSecurity();
        app.MapGrpcService<AgentGatewayService>();
        app.MapGrpcService<FleetAdminService>();
        return app;
    }
}
