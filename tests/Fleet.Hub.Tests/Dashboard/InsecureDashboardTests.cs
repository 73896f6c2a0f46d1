using System.Net;
using Fleet.Protocol.Admin.V1;

namespace Fleet.Hub.Tests.Dashboard;

/// <summary>The dashboard of an --insecure hub: open without a login and saying so, with the CSRF check still on.</summary>
public sealed class InsecureDashboardTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task InsecureHub_IsOpenWithoutALogin_SaysSo_AndStillRefusesAForgedPost()
    {
        await using var dashboard = await DashboardFleet.StartAsync();
        await dashboard.StartAgentsAsync(1, _ => ["env=dev"]);
        var applied = await dashboard.Fleet.Admin.ApplyAsync(new ApplyRequest { Source = "test.yaml", FirstLine = 1, Yaml = SecureDashboard.GatedCapability("open") }, cancellationToken: Cancel);
        await Eventually.Holds(async () => (await dashboard.Fleet.RolloutAsync(applied.RolloutId)).Phase == RolloutPhase.WaitingApproval, "the rollout waits for approval");
        using var browser = new DashboardHttp(dashboard.Url, caPath: null);

        var page = await browser.GetPageAsync("/rollouts");
        using var login = await browser.GetAsync("/login");
        using var forged = await browser.PostAsync($"/rollouts/{applied.RolloutId}", ("csrf", "forged"), ("action", "approve"));
        var phaseAfterForgery = (await dashboard.Fleet.RolloutAsync(applied.RolloutId)).Phase;
        using var posted = await browser.PostAsync($"/rollouts/{applied.RolloutId}", ("csrf", DashboardHttp.CsrfOf(page)), ("action", "approve"));
        var cookie = Assert.Single(browser.Cookies.GetAllCookies());

        Assert.Contains("class=\"banner\"", page, StringComparison.Ordinal);
        Assert.Contains("--insecure", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Log out", page, StringComparison.Ordinal);
        Assert.Contains("value=\"approve\"", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/", login.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(RolloutPhase.WaitingApproval, phaseAfterForgery);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal("fleet-session", cookie.Name);
        Assert.True(cookie.HttpOnly);
        await Eventually.Holds(async () => (await dashboard.Fleet.RolloutAsync(applied.RolloutId)).Phase != RolloutPhase.WaitingApproval, "the posted approve passed the gate");
    }
}
