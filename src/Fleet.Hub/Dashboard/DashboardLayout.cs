namespace Fleet.Hub.Dashboard;

/// <summary>
/// The frame of every page: navigation, the insecure banner, and one <c>main</c> whose <c>data-live</c> parts the
/// script replaces when the hub says something changed. No inline script or style: the CSP forbids both.
/// </summary>
internal static class DashboardLayout
{
    public static string Page(string title, string current, bool insecure, string body)
    {
        var html = new Html();
        html.Raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Raw("<title>").Text(title).Raw(" · Fleet</title><link rel=\"stylesheet\" href=\"/assets/dashboard.css\">")
            .Raw("<script src=\"/assets/dashboard.js\" defer></script></head><body>");
        if (insecure)
        {
            html.Raw("<div class=\"banner\" role=\"alert\">This hub runs with --insecure: the dashboard is open to anyone who reaches it, with no login. Local development only.</div>");
        }

        html.Raw("<header><span class=\"brand\">Fleet</span><nav aria-label=\"Main\"><ul>");
        foreach (var (href, label) in new[] { ("/targets", "Targets"), ("/rollouts", "Rollouts") })
        {
            html.Raw("<li><a href=\"").Raw(href).Raw("\"").Raw(label == current ? " aria-current=\"page\"" : "").Raw(">").Text(label).Raw("</a></li>");
        }

        html.Raw("</ul></nav><span id=\"live\" class=\"live\" aria-live=\"polite\">connecting…</span></header><main id=\"main\">")
            .Raw("<h1>").Text(title).Raw("</h1>").Raw(body).Raw("</main></body></html>");
        return html.ToString();
    }
}
