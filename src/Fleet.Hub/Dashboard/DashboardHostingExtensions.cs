using Fleet.Hub.Hosting;

namespace Fleet.Hub.Dashboard;

internal static class DashboardHostingExtensions
{
    /// <summary>The change notices are always collected (cheap, nobody listens without a dashboard); the listener only with --dashboard-url.</summary>
    public static WebApplicationBuilder AddFleetDashboard(this WebApplicationBuilder builder, HubOptions options)
    {
        builder.Services.AddSingleton<DashboardChanges>();
        if (options.DashboardUrl is not null)
        {
            builder.Services.AddSingleton<Auth.DashboardSessions>();
            builder.Services.AddHostedService<DashboardServer>();
        }

        return builder;
    }
}
