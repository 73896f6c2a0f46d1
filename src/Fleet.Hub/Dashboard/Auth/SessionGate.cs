using Fleet.Hub.Security;

namespace Fleet.Hub.Dashboard.Auth;

/// <summary>
/// Runs before every dashboard route but the assets and the login: finds the request's session, checks its token
/// again (<see cref="OperatorTokenCheck"/>, the check of every gRPC call), and refuses every POST whose CSRF field is
/// not the session's. A route cannot forget either check, because no route runs before them. On an --insecure hub
/// there is no login: a browser gets a session on its first request, for its CSRF token.
/// </summary>
internal sealed class SessionGate(DashboardSessions sessions, OperatorTokenCheck tokens, bool insecure)
{
    public const string LoginPath = "/login";
    public const string LogoutPath = "/logout";

    /// <summary>
    /// The <c>__Host-</c> prefix makes a browser refuse the cookie unless it is Secure, for Path=/ and for this host
    /// alone, so nothing on a sibling domain can plant or overwrite it. Plain http (--insecure) cannot have it.
    /// </summary>
    public string SessionCookie => insecure ? "fleet-session" : "__Host-fleet-session";

    /// <summary>The login form's own CSRF token (double-submit: there is no session yet to keep it in).</summary>
    public string LoginCookie => insecure ? "fleet-login" : "__Host-fleet-login";

    public bool Insecure => insecure;

    public async Task Invoke(HttpContext context, Func<Task> next)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/assets", StringComparison.Ordinal) || path.Equals(LoginPath, StringComparison.Ordinal))
        {
            await next();
            return;
        }

        var id = context.Request.Cookies[SessionCookie];
        var session = sessions.Find(id);
        DashboardUser user;
        if (insecure)
        {
            if (session is null)
            {
                (id, session) = sessions.Create("");
                SetCookie(context, SessionCookie, id);
            }

            user = new DashboardUser(session, Caller.Insecure.Who, null, Insecure: true);
        }
        else
        {
            if (session is null)
            {
                // A cookie without a live session: it expired or was logged out. No cookie: a first visit.
                Refuse(context, string.IsNullOrEmpty(id) ? null : "session");
                return;
            }

            var caller = await tokens.Resolve(session.Token, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            if (caller.Kind != CallerKind.Operator)
            {
                sessions.Remove(id);
                Refuse(context, "token");
                return;
            }

            user = new DashboardUser(session, caller.Who, caller.Role, Insecure: false);
        }

        if (HttpMethods.IsPost(context.Request.Method) && !await PostedCsrfMatches(context, session.Csrf))
        {
            await Forbidden(context);
            return;
        }

        context.Features.Set(user);
        await next();
    }

    /// <summary>The cookie attributes of the session and of the login form: script cannot read them, no other site's request carries them.</summary>
    public void SetCookie(HttpContext context, string name, string value) =>
        context.Response.Cookies.Append(name, value, CookieOptions());

    public void DeleteCookie(HttpContext context, string name) => context.Response.Cookies.Delete(name, CookieOptions());

    /// <summary>Whether the posted form's CSRF field is <paramref name="expected"/>; a body that is no form (or too large) is not.</summary>
    public static async Task<bool> PostedCsrfMatches(HttpContext context, string? expected)
    {
        if (!context.Request.HasFormContentType)
        {
            return false;
        }

        try
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            return CsrfTokens.Matches(expected, form[CsrfTokens.Field]);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException)
        {
            return false;
        }
    }

    public static Task Forbidden(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync("refused: the form is stale or did not come from this dashboard; reload the page", context.RequestAborted);
    }

    private CookieOptions CookieOptions() => new()
    {
        HttpOnly = true,
        Secure = !insecure,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        IsEssential = true,
    };

    /// <summary>No session (or its token no longer counts): pages send the browser to the login, the event stream is closed.</summary>
    private void Refuse(HttpContext context, string? ended)
    {
        if (ended is not null)
        {
            DeleteCookie(context, SessionCookie);
        }

        if (context.Request.Path.StartsWithSegments("/events", StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        context.Response.StatusCode = StatusCodes.Status302Found;
        context.Response.Headers.Location = ended is null ? LoginPath : $"{LoginPath}?ended={ended}";
    }
}
