using Fleet.Hub.Dashboard.Auth;

namespace Fleet.Hub.Dashboard;

/// <summary>
/// The frame of every page: navigation, the insecure banner, who is logged in, and one <c>main</c> whose
/// <c>data-live</c> parts the script replaces when the hub says something changed. No inline script or style: the
/// CSP forbids both.
/// </summary>
internal static class DashboardLayout
{
    /// <param name="user">Null on the login page: no navigation, nothing of the hub's state.</param>
    public static string Page(string title, string current, DashboardUser? user, string body)
    {
        var html = new Html();
        html.Raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Raw("<title>").Text(title).Raw(" · Fleet</title><link rel=\"stylesheet\" href=\"/assets/dashboard.css\">");
        if (user is not null)
        {
            html.Raw("<script src=\"/assets/dashboard.js\" defer></script>");
        }

        html.Raw("</head><body>");
        if (user is { Insecure: true })
        {
            html.Raw("<div class=\"banner\" role=\"alert\">This hub runs with --insecure: the dashboard is open to anyone who reaches it, with no login. Local development only.</div>");
        }

        html.Raw("<header><span class=\"brand\">Fleet</span>");
        if (user is not null)
        {
            html.Raw("<nav aria-label=\"Main\"><ul>");
            foreach (var (href, label) in Sections(user))
            {
                html.Raw("<li><a href=\"").Raw(href).Raw("\"").Raw(label == current ? " aria-current=\"page\"" : "").Raw(">").Text(label).Raw("</a></li>");
            }

            html.Raw("</ul></nav><span id=\"live\" class=\"live\" aria-live=\"polite\">connecting…</span>");
            if (!user.Insecure)
            {
                html.Raw("<span class=\"who\">").Text($"{user.Who} ({user.RoleName})").Raw("</span>")
                    .Raw("<form method=\"post\" action=\"").Raw(SessionGate.LogoutPath).Raw("\" class=\"logout\">")
                    .Raw("<input type=\"hidden\" name=\"").Raw(CsrfTokens.Field).Raw("\" value=\"").Text(user.Csrf).Raw("\">")
                    .Raw("<button type=\"submit\">Log out</button></form>");
            }
        }

        html.Raw("</header><main id=\"main\">")
            .Raw("<h1>").Text(title).Raw("</h1>").Raw(body).Raw("</main></body></html>");
        return html.ToString();
    }

    /// <summary>The Audit page is an admin's: other roles do not get a link to a page the API would refuse them.</summary>
    private static IEnumerable<(string Href, string Label)> Sections(DashboardUser user)
    {
        yield return ("/targets", "Targets");
        yield return ("/capabilities", "Capabilities");
        yield return ("/rollouts", "Rollouts");
        if (user.MayReadAudit)
        {
            yield return ("/audit", "Audit");
        }
    }
}
