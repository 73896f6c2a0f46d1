using Fleet.Hub.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Fleet.Hub.Observability;

/// <summary>
/// Metrics and traces: the hub's own meter always exists (instruments cost nothing until someone listens); a
/// Prometheus endpoint with --metrics-url, and OTLP export of metrics and traces when the standard
/// OTEL_EXPORTER_OTLP_ENDPOINT variable names a collector.
/// </summary>
internal static class ObservabilityHostingExtensions
{
    public static void AddFleetObservability(this WebApplicationBuilder builder, HubOptions options)
    {
        builder.Services.AddSingleton<FleetMetrics>();
        var otlp = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"));
        if (options.MetricsUrl is null && !otlp)
        {
            return;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(
                "fleet-hub",
                serviceVersion: typeof(HubHost).Assembly.GetName().Version?.ToString(),
                // Which node of a hub of several a series comes from (Prometheus: target_info{service_instance_id}).
                serviceInstanceId: NodeName(options)));
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter(FleetMetrics.MeterName);
            if (options.MetricsUrl is { } url)
            {
                var endpoint = new Uri(url);
                metrics.AddPrometheusHttpListener(listener =>
                {
                    listener.Host = endpoint.Host;
                    listener.Port = endpoint.Port;
                    listener.ScrapeEndpointPath = endpoint.AbsolutePath;
                });
            }

            if (otlp)
            {
                metrics.AddOtlpExporter();
            }
        });
        if (otlp)
        {
            // An operator's call, the grains it reaches and the hub's own work, in one trace.
            telemetry.WithTracing(tracing => tracing
                .AddSource(FleetActivity.SourceName)
                .AddSource("Microsoft.Orleans.Runtime")
                .AddSource("Microsoft.Orleans.Application")
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter());
        }
    }

    /// <summary>The node as its peers know it: the advertised (or machine) name and its silo port.</summary>
    public static string NodeName(HubOptions options) => $"{options.Advertise ?? Environment.MachineName}:{options.SiloPort}";
}
