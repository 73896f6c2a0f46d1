using static Microsoft.Playwright.Assertions;

namespace Fleet.Hub.Tests.Dashboard;

/// <summary>The Targets page of a running hub with real agents, in a real browser.</summary>
public sealed class TargetsPageBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task Targets_ConnectedAgents_AreListedWithTheirLabels()
    {
        await using var context = await browser.NewContextAsync();
        await using var fleet = await DashboardFleet.StartAsync();
        await fleet.StartAgentsAsync(2, i => ["env=dev", $"region=r{i}"]);
        var page = await context.NewPageAsync();

        await page.GotoAsync(fleet.Page("targets"));

        var rows = page.Locator("#targets tbody tr");
        await Expect(rows).ToHaveCountAsync(2, BrowserFixture.Count);
        await Expect(rows.Nth(0)).ToContainTextAsync("t1");
        await Expect(rows.Nth(0)).ToContainTextAsync("region=r1");
        await Expect(rows.Nth(1)).ToContainTextAsync("connected");
        await Expect(page.Locator(".banner")).ToContainTextAsync("--insecure");
    }
}
