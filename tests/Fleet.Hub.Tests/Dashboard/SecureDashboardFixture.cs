namespace Fleet.Hub.Tests.Dashboard;

/// <summary>One secure hub with a dashboard for the tests of a class; each test logs in with tokens of its own.</summary>
public sealed class SecureDashboardFixture : IAsyncLifetime
{
    private SecureDashboard? _dashboard;

    internal SecureDashboard Dashboard => _dashboard ?? throw new InvalidOperationException("the dashboard did not start");

    public async ValueTask InitializeAsync() => _dashboard = await SecureDashboard.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_dashboard is not null)
        {
            await _dashboard.DisposeAsync();
        }
    }
}
