using System.Net;

namespace Fleet.Hub.Tests.Dashboard;

/// <summary>The Capabilities and Audit pages of a secure hub, read over HTTP as the roles that may (and may not) see them.</summary>
public sealed class DashboardPagesTests(SecureDashboardFixture fixture) : IClassFixture<SecureDashboardFixture>
{
    private SecureDashboard Dashboard => fixture.Dashboard;

    [Fact]
    public async Task Capabilities_ListAndDetail_ShowRevisionsPlacementWithTheReasonAndTheSpec()
    {
        await Dashboard.WaitingForApprovalAsync();
        var (viewer, _) = await Dashboard.LoggedInAsync("viewer");

        var list = await viewer.GetPageAsync("/capabilities");
        var detail = await viewer.GetPageAsync("/capabilities/gated1");
        using var missing = await viewer.GetAsync("/capabilities/nonesuch");

        Assert.Contains("<a href=\"/capabilities/gated1\">gated1</a>", list, StringComparison.Ordinal);
        Assert.Contains("Revisions: r1", detail, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">d1</th><td>yes</td>", detail, StringComparison.Ordinal);
        Assert.Contains("env", detail, StringComparison.Ordinal);
        Assert.Contains("path: etc/gated1", detail, StringComparison.Ordinal);
        Assert.Contains("No instances.", detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Audit_ForAnAdmin_ListsNewestFirst_AndFiltersByActorAndAction()
    {
        var (operatorBrowser, operatorToken) = await Dashboard.LoggedInAsync("operator");
        var csrf = DashboardHttp.CsrfOf(await operatorBrowser.GetPageAsync("/rollouts"));
        (await operatorBrowser.PostAsync("/rollouts/r-first", ("csrf", csrf), ("action", "pause"))).Dispose();
        (await operatorBrowser.PostAsync("/rollouts/r-second", ("csrf", csrf), ("action", "resume"))).Dispose();
        var (admin, _) = await Dashboard.LoggedInAsync("admin");
        var operatorId = Fleet.Hub.Security.TokenCodec.IdOf(operatorToken)!;

        var all = await admin.GetPageAsync("/audit");
        var byAction = await admin.GetPageAsync("/audit?action=ResumeRollout");
        var byActor = await admin.GetPageAsync($"/audit?actor={operatorId}");

        Assert.Contains("Audit</a>", all, StringComparison.Ordinal);
        Assert.True(all.IndexOf("rollout/r-second", StringComparison.Ordinal) < all.IndexOf("rollout/r-first", StringComparison.Ordinal), "newest first");
        Assert.Contains("rollout/r-second", byAction, StringComparison.Ordinal);
        Assert.DoesNotContain("rollout/r-first", byAction, StringComparison.Ordinal);
        Assert.Contains("rollout/r-first", byActor, StringComparison.Ordinal);
        Assert.Contains("rollout/r-second", byActor, StringComparison.Ordinal);
        Assert.DoesNotContain("CreateToken", byActor, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("viewer")]
    [InlineData("operator")]
    public async Task Audit_ForARoleBelowAdmin_IsRefused_AndNotLinked(string role)
    {
        var (browser, _) = await Dashboard.LoggedInAsync(role);

        using var audit = await browser.GetAsync("/audit");
        var page = await browser.GetPageAsync("/targets");

        Assert.Equal(HttpStatusCode.Forbidden, audit.StatusCode);
        Assert.Contains("The audit log is for admins", await audit.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/audit\"", page, StringComparison.Ordinal);
    }
}
