using Fleet.Hub.Security;

namespace Fleet.Hub.Dashboard.Auth;

/// <summary>
/// The login and logout of a secure hub's dashboard. The token comes only in a POSTed form body, is checked with the
/// gRPC endpoints' own check, and is then kept only in the server-side session: never in a URL, a cookie, a page or a log.
/// Every login gets a new session id, so an id planted before the login is worth nothing after it.
/// </summary>
internal sealed class DashboardLogin(DashboardSessions sessions, OperatorTokenCheck tokens, SessionGate gate)
{
    public const string TokenField = "token";

    public IResult Form(HttpContext context, string? ended)
    {
        if (sessions.Find(context.Request.Cookies[gate.SessionCookie]) is not null)
        {
            return Results.Redirect("/", preserveMethod: false);
        }

        var notice = ended switch
        {
            "token" => "Your session ended: its token is no longer valid (revoked or expired). Log in with a valid token.",
            "session" => "Your session ended (logged out, or idle too long). Log in again.",
            _ => null,
        };
        return Page(context, notice, error: null, StatusCodes.Status200OK);
    }

    public async Task<IResult> Submit(HttpContext context)
    {
        if (!await SessionGate.PostedCsrfMatches(context, context.Request.Cookies[gate.LoginCookie]))
        {
            return Results.Text("refused: the login form is stale or did not come from this dashboard; reload the page", statusCode: StatusCodes.Status403Forbidden);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var caller = await tokens.Resolve(form[TokenField].ToString(), context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        if (caller.Kind != CallerKind.Operator)
        {
            // The problem names no secret ("the token is not valid", "the token is revoked").
            return Page(context, notice: null, error: $"Login refused: {caller.Problem ?? "the token is not valid"}.", StatusCodes.Status401Unauthorized);
        }

        sessions.Remove(context.Request.Cookies[gate.SessionCookie]);
        var (id, _) = sessions.Create(form[TokenField].ToString().Trim());
        gate.SetCookie(context, gate.SessionCookie, id);
        gate.DeleteCookie(context, gate.LoginCookie);
        return Results.Redirect("/", preserveMethod: false);
    }

    /// <summary>Behind the session gate, so the logout form's CSRF token was checked: another site cannot log anyone out.</summary>
    public IResult Logout(HttpContext context)
    {
        sessions.Remove(context.Request.Cookies[gate.SessionCookie]);
        gate.DeleteCookie(context, gate.SessionCookie);
        return Results.Redirect($"{SessionGate.LoginPath}?ended=session", preserveMethod: false);
    }

    private IResult Page(HttpContext context, string? notice, string? error, int status)
    {
        // A browser asks for more than the page (a favicon, a second tab), and each request that is not logged in
        // comes here: a new value each time would make the form already on screen stale. The __Host- prefix stops
        // another site from planting one.
        var csrf = context.Request.Cookies[gate.LoginCookie] is { Length: CsrfTokens.Length } existing ? existing : CsrfTokens.New();
        gate.SetCookie(context, gate.LoginCookie, csrf);
        return Results.Content(DashboardLayout.Page("Log in", "", null, LoginPage.Body(csrf, notice, error)), "text/html; charset=utf-8", statusCode: status);
    }
}
