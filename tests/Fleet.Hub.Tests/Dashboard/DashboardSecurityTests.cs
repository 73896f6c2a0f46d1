using System.Net;
using Fleet.Hub.Security;
using Fleet.Protocol.Admin.V1;
using Fleet.Protocol.Security.V1;

namespace Fleet.Hub.Tests.Dashboard;

/// <summary>
/// The dashboard of a secure hub over real TLS: the login, its cookie, the per-session CSRF check, the security
/// headers, and that the role decides both what a page offers and, through the hub's admin API, what is done.
/// </summary>
public sealed class DashboardSecurityTests(SecureDashboardFixture fixture) : IClassFixture<SecureDashboardFixture>
{
    private const string Approve = "fleet.admin.v1.FleetAdmin/ApproveRollout";
    private const string Pause = "fleet.admin.v1.FleetAdmin/PauseRollout";

    private SecureDashboard Dashboard => fixture.Dashboard;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pages_WithoutALogin_SendTheBrowserToTheLogin_AndTheEventStreamIsRefused()
    {
        var browser = Dashboard.Browser();

        using var page = await browser.GetAsync("/rollouts");
        using var events = await browser.GetAsync("/events");
        var login = await browser.GetPageAsync("/login");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/login", page.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, events.StatusCode);
        Assert.Contains("type=\"password\"", login, StringComparison.Ordinal);
        Assert.DoesNotContain("/rollouts\"", login, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogIn_WithAGoodToken_SetsAStrictHostOnlySessionCookie_AndThePageNeverShowsTheToken()
    {
        var token = await Dashboard.Hub.CreateTokenAsync("operator");
        var browser = Dashboard.Browser();

        using var login = await browser.LogInAsync(token);
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("__Host-fleet-session=", StringComparison.Ordinal));
        var page = await browser.GetPageAsync("/rollouts");

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/", login.Headers.Location?.ToString());
        var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
        Assert.Contains("httponly", attributes);
        Assert.Contains("secure", attributes);
        Assert.Contains("samesite=strict", attributes);
        Assert.Contains("path=/", attributes);
        Assert.DoesNotContain(attributes, a => a.StartsWith("domain", StringComparison.Ordinal));
        Assert.DoesNotContain(TokenSecret(token), cookie, StringComparison.Ordinal);
        Assert.Contains($"token:{TokenCodec.IdOf(token)} (operator)", page, StringComparison.Ordinal);
        Assert.Contains("Log out", page, StringComparison.Ordinal);
        Assert.DoesNotContain(TokenSecret(token), page, StringComparison.Ordinal);
        Assert.DoesNotContain(Dashboard.Hub.Logs.Lines, line => line.Contains(TokenSecret(token), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("fleet_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "the token is not valid")]
    [InlineData("not a token", "the token is not a fleet token")]
    [InlineData("", "the token is not a fleet token")]
    public async Task LogIn_WithABadToken_IsRefused_AndGivesNoSession(string token, string reason)
    {
        var browser = Dashboard.Browser();

        using var login = await browser.LogInAsync(token);
        var body = await login.Content.ReadAsStringAsync(Cancel);
        using var page = await browser.GetAsync("/rollouts");

        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        Assert.Contains(reason, body, StringComparison.Ordinal);
        Assert.DoesNotContain(login.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("__Host-fleet-session=", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
    }

    [Fact]
    public async Task LogIn_WithAnAgentToken_IsRefused()
    {
        var browser = Dashboard.Browser();

        using var login = await browser.LogInAsync(await Dashboard.Hub.CreateTokenAsync("agent"));

        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        Assert.Contains("an agent token only enrolls an agent", await login.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogIn_FromTheFirstForm_WorksAfterTheBrowserAskedForMoreWhileLoggedOut()
    {
        // What a real browser does: the login page, then its favicon (sent to the login too), then the form is posted.
        var browser = Dashboard.Browser();
        var form = await browser.GetPageAsync("/login");
        using var favicon = await browser.GetAsync("/favicon.ico");
        await browser.GetPageAsync("/login");

        using var login = await browser.PostAsync("/login", ("csrf", DashboardHttp.CsrfOf(form)), ("token", Dashboard.Hub.AdminToken));

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
    }

    [Fact]
    public async Task LogIn_WithoutTheLoginFormsCsrfField_Is403()
    {
        var browser = Dashboard.Browser();
        await browser.GetPageAsync("/login");

        using var login = await browser.PostAsync("/login", ("csrf", "forged"), ("token", Dashboard.Hub.AdminToken));

        Assert.Equal(HttpStatusCode.Forbidden, login.StatusCode);
    }

    [Fact]
    public async Task Post_WithAMissingOrWrongCsrfToken_Is403_AndCallsNothing()
    {
        var (browser, token) = await Dashboard.LoggedInAsync("operator");
        var csrf = DashboardHttp.CsrfOf(await browser.GetPageAsync("/rollouts"));

        using var missing = await browser.PostAsync("/rollouts/r-missing-csrf", ("action", "pause"));
        using var wrong = await browser.PostAsync("/rollouts/r-wrong-csrf", ("csrf", csrf[..^1] + (csrf[^1] == 'A' ? 'B' : 'A')), ("action", "pause"));
        using var right = await browser.PostAsync("/rollouts/r-right-csrf", ("csrf", csrf), ("action", "pause"));
        var audit = await Dashboard.AuditAsync();

        Assert.Equal(HttpStatusCode.Forbidden, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        // Only the call with the session's token reached the admin API (and was audited, as NotFound: no such rollout).
        Assert.DoesNotContain(audit, e => e.Object.Contains("r-missing-csrf", StringComparison.Ordinal) || e.Object.Contains("r-wrong-csrf", StringComparison.Ordinal));
        var called = Assert.Single(audit, e => e.Object == "rollout/r-right-csrf");
        Assert.Equal(Pause, called.Method);
        Assert.Equal($"token:{TokenCodec.IdOf(token)}", called.Who);
    }

    [Fact]
    public async Task EveryAnswer_CarriesTheStrictSecurityHeaders()
    {
        var (browser, _) = await Dashboard.LoggedInAsync("viewer");

        foreach (var path in new[] { "/login", "/rollouts", "/targets", "/assets/dashboard.js" })
        {
            using var response = await (path == "/login" ? Dashboard.Browser() : browser).GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy")).Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            foreach (var directive in new[] { "default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'" })
            {
                Assert.Contains(directive, csp);
            }

            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        }
    }

    [Fact]
    public async Task Viewer_SeesNoActionForms_AndAnActionItPostsIsRefusedByTheApi_ChangesNothing_AndIsAuditedAsDenied()
    {
        var rollout = await Dashboard.WaitingForApprovalAsync();
        var (viewer, token) = await Dashboard.LoggedInAsync("viewer");
        var page = await viewer.GetPageAsync("/rollouts");

        using var posted = await viewer.PostAsync($"/rollouts/{rollout}", ("csrf", DashboardHttp.CsrfOf(page)), ("action", "approve"));
        var notice = await viewer.GetPageAsync(posted.Headers.Location!.ToString());
        var after = await Dashboard.Hub.Admin(Dashboard.Hub.AdminToken).GetRolloutAsync(new GetRequest { Name = rollout }, cancellationToken: Cancel);
        var audit = await Dashboard.AuditAsync();

        Assert.Contains($"id=\"rollout-{rollout}\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"action\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"action=\"/rollouts/{rollout}\"", page, StringComparison.Ordinal);
        Assert.Contains("approve refused: role viewer may not call", notice, StringComparison.Ordinal);
        Assert.Equal(RolloutPhase.WaitingApproval, after.Phase);
        var denied = Assert.Single(audit, e => e.Method == Approve && e.Object == $"rollout/{rollout}");
        Assert.Equal("denied", denied.Outcome);
        Assert.Equal("viewer", denied.Role);
        Assert.Equal($"token:{TokenCodec.IdOf(token)}", denied.Who);
    }

    [Fact]
    public async Task Operator_ApprovesFromThePage_AndTheAuditNamesTheTokensPrincipal()
    {
        var rollout = await Dashboard.WaitingForApprovalAsync();
        var (operatorBrowser, token) = await Dashboard.LoggedInAsync("operator");
        var page = await operatorBrowser.GetPageAsync("/rollouts");

        using var posted = await operatorBrowser.PostAsync($"/rollouts/{rollout}", ("csrf", DashboardHttp.CsrfOf(page)), ("action", "approve"));
        var audit = await Dashboard.AuditAsync();

        Assert.Contains("value=\"approve\"", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var approved = Assert.Single(audit, e => e.Method == Approve && e.Object == $"rollout/{rollout}");
        Assert.Equal("ok", approved.Outcome);
        Assert.Equal("operator", approved.Role);
        Assert.Equal($"token:{TokenCodec.IdOf(token)}", approved.Who);
        await Eventually.Holds(
            async () => (await Dashboard.Hub.Admin(Dashboard.Hub.AdminToken).GetRolloutAsync(new GetRequest { Name = rollout }, cancellationToken: Cancel)).Phase != RolloutPhase.WaitingApproval,
            $"rollout {rollout} left WaitingApproval");
    }

    [Fact]
    public async Task RevokedToken_EndsItsSession_AtTheNextRequest()
    {
        var (browser, token) = await Dashboard.LoggedInAsync("operator");
        await browser.GetPageAsync("/rollouts");

        await Dashboard.Hub.Security(Dashboard.Hub.AdminToken).RevokeTokenAsync(new RevokeTokenRequest { Id = TokenCodec.IdOf(token) }, cancellationToken: Cancel);
        using var page = await browser.GetAsync("/rollouts");
        using var again = await browser.GetAsync("/rollouts");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/login?ended=token", page.Headers.Location?.ToString());
        Assert.Equal("/login", again.Headers.Location?.ToString());
        Assert.Contains("no longer valid", await browser.GetPageAsync("/login?ended=token"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogOut_EndsTheSession_AndNeedsTheSessionsCsrfToken()
    {
        var (browser, _) = await Dashboard.LoggedInAsync("viewer");
        var csrf = DashboardHttp.CsrfOf(await browser.GetPageAsync("/targets"));

        using var forged = await browser.PostAsync("/logout", ("csrf", "forged"));
        await browser.GetPageAsync("/targets");
        using var logout = await browser.PostAsync("/logout", ("csrf", csrf));
        using var after = await browser.GetAsync("/targets");

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/login", after.Headers.Location?.ToString(), StringComparison.Ordinal);
    }

    private static string TokenSecret(string token) => token[(token.LastIndexOf('_') + 1)..];
}
