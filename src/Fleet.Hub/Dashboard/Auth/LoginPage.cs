namespace Fleet.Hub.Dashboard.Auth;

/// <summary>The login form: one password field for the token (never echoed back), posted to the dashboard itself.</summary>
internal static class LoginPage
{
    public static string Body(string csrf, string? notice, string? error)
    {
        var html = new Html();
        if (notice is not null)
        {
            html.Raw("<p class=\"notice\" role=\"status\">").Text(notice).Raw("</p>");
        }

        if (error is not null)
        {
            html.Raw("<p class=\"error\" role=\"alert\" id=\"login-error\">").Text(error).Raw("</p>");
        }

        html.Raw("<form method=\"post\" action=\"").Raw(SessionGate.LoginPath).Raw("\" class=\"login\">")
            .Raw("<input type=\"hidden\" name=\"").Raw(CsrfTokens.Field).Raw("\" value=\"").Text(csrf).Raw("\">")
            .Raw("<label for=\"token\">Token</label>")
            .Raw("<input id=\"token\" name=\"").Raw(DashboardLogin.TokenField).Raw("\" type=\"password\" required autocomplete=\"off\" autofocus")
            .Raw(" aria-describedby=\"token-help\"").Raw(error is null ? "" : " aria-invalid=\"true\"").Raw(">")
            .Raw("<p id=\"token-help\" class=\"muted\">A viewer, operator or admin token (<code>fleet token create --role viewer</code>; the first admin token is <code>admin.token</code> in the hub's data directory). What the token's role may do decides what this dashboard shows.</p>")
            .Raw("<button type=\"submit\">Log in</button></form>");
        return html.ToString();
    }
}
