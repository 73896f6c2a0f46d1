using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Fleet.Hub.Hosting.Health;

/// <summary>
/// The <c>--health-url</c> listener: a Kestrel server of its own, plain HTTP/1.1 (what probes speak), apart from the
/// gRPC endpoints, which stay HTTP/2 only and pass through security and rate limits that probes must not. It starts
/// before the silo (so <c>/healthz</c> answers and <c>/readyz</c> says "silo not active: Joining" while the node
/// joins) and stops after it (so <c>/readyz</c> says why while the node leaves).
/// </summary>
internal sealed class HealthServer(HubOptions options, IServiceProvider services, ILoggerFactory loggers) : IHostedLifecycleService
{
    // Probes are a handful per minute; this bounds what a flood of connections can hold.
    private const int MaxConnections = 100;

    private WebApplication? _server;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var url = options.HealthUrl ?? throw new InvalidOperationException("the health server needs --health-url");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(url);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxConcurrentConnections = MaxConnections;
            kestrel.Limits.MaxRequestBodySize = 0;
            kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http1);
        });
        // The hub's logging (its providers and filters), not a second set of its own.
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton<IHostLifetime, HealthServerLifetime>();

        var server = builder.Build();
        // Resolved per request, not here: the silo's membership services are not built before the silo starts.
        server.Run(context => HealthEndpoints.HandleAsync(context, services.GetRequiredService<ReadinessCheck>()));
        await server.StartAsync(cancellationToken);
        _server = server;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (_server is { } server)
        {
            _server = null;
            await server.StopAsync(cancellationToken);
            await server.DisposeAsync();
        }
    }
}
