using Grpc.AspNetCore.Server;

namespace Fleet.Hub.Hosting.Health;

/// <summary>
/// Health and storage outages: the <c>--health-url</c> listener with <c>/healthz</c> and <c>/readyz</c>, and the
/// answer <c>Unavailable: storage unavailable: ...</c> to any call that failed because storage is down.
/// </summary>
internal static class HealthHostingExtensions
{
    public static WebApplicationBuilder AddFleetHealth(this WebApplicationBuilder builder, HubOptions options)
    {
        var services = builder.Services;
        services.AddSingleton(sp => new ReadinessCheck(
            LocalSiloStatus(sp),
            sp.GetRequiredService<IStorageProbe>(),
            sp.GetRequiredService<TimeProvider>()));
        if (options.HealthUrl is not null)
        {
            services.AddHostedService<HealthServer>();
        }

        services.AddSingleton<StorageFailureInterceptor>();
        services.Configure<GrpcServiceOptions>(grpc =>
        {
            // First of all interceptors, so it also sees what fails in the others (the audit record is written in
            // the security interceptor, before the method runs).
            grpc.Interceptors.Add<StorageFailureInterceptor>();
            var registration = grpc.Interceptors[^1];
            grpc.Interceptors.RemoveAt(grpc.Interceptors.Count - 1);
            grpc.Interceptors.Insert(0, registration);
        });
        return builder;
    }

    /// <summary>Before the security middleware, whose lookups of tokens and certificates need storage.</summary>
    public static WebApplication UseFleetHealth(this WebApplication app)
    {
        app.UseMiddleware<StorageFailureMiddleware>();
        return app;
    }

    /// <summary>
    /// The local silo's status as its cluster's membership records it; until the silo is in it (while it starts),
    /// the silo's own view (Created, Joining).
    /// </summary>
    private static Func<SiloStatus> LocalSiloStatus(IServiceProvider services)
    {
        var membership = services.GetRequiredService<IClusterMembershipService>();
        var local = services.GetRequiredService<ILocalSiloDetails>();
        var oracle = services.GetRequiredService<ISiloStatusOracle>();
        return () => membership.CurrentSnapshot.GetSiloStatus(local.SiloAddress) is var status and not SiloStatus.None
            ? status
            : oracle.CurrentStatus;
    }
}
