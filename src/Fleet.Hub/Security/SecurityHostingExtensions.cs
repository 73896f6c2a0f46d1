using Fleet.Protocol.Security;
using System.Globalization;
using System.Security.Authentication;
using System.Threading.RateLimiting;
using Fleet.Hub.Hosting;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Fleet.Hub.Security;

/// <summary>
/// Wires security into the hub: TLS with client certificates on Kestrel, caller resolution and rate
/// limits in the HTTP pipeline, the authorization and audit interceptor on every gRPC service, and the
/// security and enrollment services.
/// </summary>
internal static class SecurityHostingExtensions
{
    public static WebApplicationBuilder AddFleetSecurity(this WebApplicationBuilder builder, HubOptions options)
    {
        var services = builder.Services;
        services.TryAddSingleton(options);
        services.AddSingleton(new SecurityMode(options.Insecure));
        services.TryAddSingleton(new SecurityClock(TimeProvider.System));
        services.TryAddSingleton(new SecurityLimits());
        services.AddSingleton<AgentSessionRegistry>();
        services.AddSingleton<OperatorTokenCheck>();
        services.AddSingleton<AgentTrustCheck>();
        services.AddSingleton<EnrolledIdentityCheck>();
        services.AddSingleton<SecurityInterceptor>();
        services.Configure<GrpcServiceOptions>(grpc => grpc.Interceptors.Add<SecurityInterceptor>());
        services.AddGrpc()
            .AddServiceOptions<FleetSecurityService>(grpc => grpc.MaxReceiveMessageSize = new SecurityLimits().MaxSecurityMessageBytes)
            .AddServiceOptions<AgentEnrollmentService>(grpc => grpc.MaxReceiveMessageSize = new SecurityLimits().MaxSecurityMessageBytes);
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(Partition);
            limiter.OnRejected = (context, _) =>
            {
                // A trailers-only gRPC answer, so clients see ResourceExhausted rather than a bare HTTP 429.
                var response = context.HttpContext.Response;
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = "application/grpc";
                response.Headers["grpc-status"] = ((int)Grpc.Core.StatusCode.ResourceExhausted).ToString(CultureInfo.InvariantCulture);
                response.Headers["grpc-message"] = "rate limit exceeded: slow down and retry";
                return ValueTask.CompletedTask;
            };
        });

        if (!options.Insecure)
        {
            services.AddSingleton(sp => HubPki.LoadOrCreate(
                options, sp.GetRequiredService<SecurityClock>().Now, sp.GetRequiredService<ILogger<HubPki>>(), sp.GetService<IClusterCaStore>()));
            services.AddHostedService<AdminTokenBootstrap>();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
            {
                var pki = kestrel.ApplicationServices.GetRequiredService<HubPki>();
                var clock = kestrel.ApplicationServices.GetRequiredService<SecurityClock>();
                https.ServerCertificate = pki.ServingCertificate;
                https.ServerCertificateChain = pki.ServingChain;
                https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
                // Operators authenticate with tokens and have no certificate; agents must present theirs.
                https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                https.CheckCertificateRevocation = false;
                // Only the hub's CA counts, never the machine's trust store; revocation is checked per request.
                https.ClientCertificateValidation = (certificate, _, _) =>
                    CertificateChains.IsIssuedBy(certificate, pki.Ca, clock.Now, CertificateChains.ClientAuthentication);
            }));
        }

        return builder;
    }

    public static WebApplication UseFleetSecurity(this WebApplication app)
    {
        app.UseMiddleware<CallerResolutionMiddleware>();
        app.UseRateLimiter();
        app.MapGrpcService<FleetSecurityService>();
        app.MapGrpcService<AgentEnrollmentService>();
        return app;
    }

    private static RateLimitPartition<string> Partition(HttpContext context)
    {
        var caller = context.Features.Get<Caller>();
        var limits = context.RequestServices.GetRequiredService<SecurityLimits>();
        return caller switch
        {
            // --insecure identifies nobody, so there is no one to limit per caller.
            null or { Kind: CallerKind.Insecure } => RateLimitPartition.GetNoLimiter("insecure"),
            { Kind: CallerKind.Agent } => RateLimitPartition.GetTokenBucketLimiter(caller.RateKey, _ => Bucket(limits.AgentCallBurst, 1, limits.AgentCallPeriod)),
            { Kind: CallerKind.Operator } => RateLimitPartition.GetTokenBucketLimiter(caller.RateKey, _ => Bucket(limits.OperatorCallBurst, limits.OperatorCallsPerSecond, TimeSpan.FromSeconds(1))),
            _ => RateLimitPartition.GetTokenBucketLimiter(caller.RateKey, _ => Bucket(limits.AnonymousCallBurst, limits.AnonymousCallsPerSecond, TimeSpan.FromSeconds(1))),
        };
    }

    private static TokenBucketRateLimiterOptions Bucket(int burst, int perPeriod, TimeSpan period) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = perPeriod,
        ReplenishmentPeriod = period,
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
