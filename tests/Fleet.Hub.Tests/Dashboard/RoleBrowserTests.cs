using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fleet.Hub.Tests.Dashboard;

/// <summary>A secure hub's dashboard in a real browser: the login form, and what a viewer and an operator get.</summary>
public sealed class RoleBrowserTests(BrowserFixture browser, SecureDashboardFixture fixture) : IClassFixture<SecureDashboardFixture>
{
    [Fact]
    public async Task Viewer_LoggedIn_SeesTheRolloutButNoActionButtons()
    {
        await using var context = await browser.NewContextAsync(ignoreHttpsErrors: true);
        var rollout = await fixture.Dashboard.WaitingForApprovalAsync();
        var page = await LogInAsync(context, await fixture.Dashboard.Hub.CreateTokenAsync("viewer"));

        await page.GotoAsync(new Uri(fixture.Dashboard.Url, "/rollouts").ToString());

        await Expect(page.Locator($"#rollout-{rollout} [data-phase]")).ToHaveTextAsync("WaitingApproval");
        await Expect(page.Locator(".who")).ToContainTextAsync("(viewer)");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Approve" })).ToHaveCountAsync(0);
        await Expect(page.Locator("form.actions")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Audit" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Operator_LoggedIn_ApprovesTheWave_AndSeesItsPhaseChange()
    {
        await using var context = await browser.NewContextAsync(ignoreHttpsErrors: true);
        var rollout = await fixture.Dashboard.WaitingForApprovalAsync();
        var page = await LogInAsync(context, await fixture.Dashboard.Hub.CreateTokenAsync("operator"));
        await page.GotoAsync(new Uri(fixture.Dashboard.Url, "/rollouts").ToString());
        var phase = page.Locator($"#rollout-{rollout} [data-phase]");
        await Expect(phase).ToHaveTextAsync("WaitingApproval");

        await page.Locator($"#rollout-{rollout}").GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();

        await Expect(page.Locator(".notice")).ToContainTextAsync("approve:");
        await Expect(phase).Not.ToHaveTextAsync("WaitingApproval");
    }

    [Fact]
    public async Task BadToken_StaysOnTheLogin_WithTheReason()
    {
        await using var context = await browser.NewContextAsync(ignoreHttpsErrors: true);

        var page = await LogInAsync(context, "fleet_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

        await Expect(page.Locator("#login-error")).ToContainTextAsync("the token is not valid");
        await Expect(page.GetByLabel("Token")).ToBeVisibleAsync();
    }

    /// <summary>Through the page's own form, by keyboard, as a person would.</summary>
    private async Task<IPage> LogInAsync(IBrowserContext context, string token)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(fixture.Dashboard.Url, "/rollouts").ToString());
        await Expect(page).ToHaveURLAsync(new Uri(fixture.Dashboard.Url, "/login").ToString(), new() { Timeout = (float)BrowserFixture.Patience.TotalMilliseconds });
        await page.GetByLabel("Token").FillAsync(token);
        await page.GetByLabel("Token").PressAsync("Enter");
        return page;
    }
}
