using System.Net;
using Fleet.Hub.Dashboard.Auth;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Hub.Tests.Dashboard;

/// <summary>Sessions end by the hub's security clock (a fake one here): idle too long, or their token expired.</summary>
public sealed class DashboardSessionExpiryTests
{
    [Fact]
    public async Task IdleSession_Ends_AndTheBrowserIsSentToTheLogin()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var dashboard = await SecureDashboard.StartAsync(clock);
        var (browser, _) = await dashboard.LoggedInAsync("viewer");
        await browser.GetPageAsync("/targets");

        clock.Advance(DashboardSessions.IdleTimeout);
        using var page = await browser.GetAsync("/targets");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/login?ended=session", page.Headers.Location?.ToString());
    }

    [Fact]
    public async Task ExpiredToken_EndsItsSession_BeforeTheSessionWouldIdleOut()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var dashboard = await SecureDashboard.StartAsync(clock);
        var (browser, _) = await dashboard.LoggedInAsync("operator", ttlSeconds: 600);
        await browser.GetPageAsync("/targets");

        clock.Advance(TimeSpan.FromMinutes(11));
        using var page = await browser.GetAsync("/targets");

        Assert.True(TimeSpan.FromMinutes(11) < DashboardSessions.IdleTimeout);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/login?ended=token", page.Headers.Location?.ToString());
        Assert.Equal(0, dashboard.Sessions.Count);
    }
}
