using Fleet.Hub.Tests.Integration;

namespace Fleet.Hub.Tests.Dashboard;

/// <summary>A real fleet (<see cref="FleetHarness"/>: an insecure hub, files agents) whose hub also serves the dashboard on a loopback port.</summary>
internal sealed class DashboardFleet : IAsyncDisposable
{
    private DashboardFleet(FleetHarness fleet, Uri dashboard)
    {
        Fleet = fleet;
        Url = dashboard;
    }

    public FleetHarness Fleet { get; }

    /// <summary>The dashboard's address, e.g. http://127.0.0.1:12345/.</summary>
    public Uri Url { get; }

    /// <summary>The address of one of the dashboard's pages, e.g. <c>Page("targets?selector=env%3Ddev")</c>.</summary>
    public string Page(string relative) => new Uri(Url, relative).ToString();

    public static async Task<DashboardFleet> StartAsync()
    {
        var dashboard = new Uri($"http://127.0.0.1:{LoopbackPorts.Take()}/");
        var fleet = await FleetHarness.StartAsync(configureOptions: options => options with { DashboardUrl = dashboard.ToString().TrimEnd('/') });
        return new DashboardFleet(fleet, dashboard);
    }

    /// <summary>Starts <paramref name="count"/> agents t1..tN with the labels <paramref name="labels"/> gives each, and waits until all are connected.</summary>
    public async Task StartAgentsAsync(int count, Func<int, string[]> labels)
    {
        for (var i = 1; i <= count; i++)
        {
            Fleet.StartAgent($"t{i}", labels(i));
        }

        await Fleet.WaitForConnectedAsync(count);
    }

    public ValueTask DisposeAsync() => Fleet.DisposeAsync();
}
