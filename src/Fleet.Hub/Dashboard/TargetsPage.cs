using Fleet.Protocol.Admin;
using Fleet.Protocol.Admin.V1;

namespace Fleet.Hub.Dashboard;

/// <summary>
/// The Targets page: the admin API's ListTargets (the same selector parsing and the same views as <c>fleet get
/// targets</c>), shown a page at a time so 10,000 targets are one table of <see cref="PageSize"/> rows.
/// </summary>
internal static class TargetsPage
{
    public const int PageSize = 100;

    public static string Body(IReadOnlyList<Target> all, string selector, int page, string? error)
    {
        var html = new Html();
        html.Raw("<form class=\"filter\" method=\"get\" action=\"/targets\" role=\"search\"><label for=\"selector\">Label selector</label>")
            .Raw("<input id=\"selector\" name=\"selector\" value=\"").Text(selector).Raw("\" placeholder=\"env=prod,tier in (web)\" autocomplete=\"off\">")
            .Raw("<button type=\"submit\">Filter</button></form>");
        if (error is not null)
        {
            html.Raw("<p class=\"error\" role=\"alert\">").Text(error).Raw("</p>");
            return html.ToString();
        }

        var pages = Math.Max(1, (all.Count + PageSize - 1) / PageSize);
        page = Math.Clamp(page, 1, pages);
        var failing = all.Count(t => t.Capabilities.Values.Any(c => StateText.IsBad(StateNames.Of(c.State))));
        var connected = all.Count(t => t.Connected);
        html.Raw("<section id=\"targets\" data-live=\"targets\">")
            .Raw("<p class=\"summary\">").Text($"{all.Count} targets, {connected} connected, ").Raw(failing > 0 ? "<strong class=\"bad\">" : "<span>")
            .Text($"{failing} failing or drifted").Raw(failing > 0 ? "</strong>" : "</span>").Raw("</p>")
            .Raw("<table><caption class=\"visually-hidden\">Targets</caption><thead><tr><th scope=\"col\">Target</th><th scope=\"col\">Connection</th>")
            .Raw("<th scope=\"col\">Labels</th><th scope=\"col\">Capabilities</th></tr></thead><tbody>");
        foreach (var target in all.OrderBy(t => t.Name, StringComparer.Ordinal).Skip((page - 1) * PageSize).Take(PageSize))
        {
            var bad = target.Capabilities.Values.Any(c => StateText.IsBad(StateNames.Of(c.State)));
            html.Raw(bad ? "<tr class=\"row-bad\">" : "<tr>").Raw("<th scope=\"row\"><a href=\"/targets/").Raw(Html.Query(target.Name)).Raw("\">").Text(target.Name).Raw("</a></th><td>")
                .Raw(target.Connected ? "<span class=\"good\">connected</span>" : "<span class=\"muted\">disconnected</span>").Raw("</td><td>");
            foreach (var (key, value) in target.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                html.Raw("<span class=\"label\">").Text($"{key}={value}").Raw("</span> ");
            }

            html.Raw("</td><td>");
            foreach (var (name, capability) in target.Capabilities.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                html.Raw("<div>").Text($"{name} r{capability.Revision} ");
                State(html, capability);
                html.Raw("</div>");
            }

            html.Raw("</td></tr>");
        }

        html.Raw("</tbody></table>");
        html.Raw("<nav class=\"pager\" aria-label=\"Pages\">").Text($"page {page} of {pages} ");
        if (page > 1)
        {
            html.Raw("<a href=\"/targets?selector=").Raw(Html.Query(selector)).Raw($"&amp;page={page - 1}\">previous</a> ");
        }

        if (page < pages)
        {
            html.Raw("<a href=\"/targets?selector=").Raw(Html.Query(selector)).Raw($"&amp;page={page + 1}\">next</a>");
        }

        html.Raw("</nav></section>");
        return html.ToString();
    }

    /// <summary>One target: connection, driver, labels, facts, and per capability the revision it runs, the one wanted, its state and last message.</summary>
    public static string Detail(Target target)
    {
        var html = new Html();
        html.Raw("<p><a href=\"/targets\">← all targets</a></p><section id=\"target\" data-live=\"target\"><dl class=\"facts\">")
            .Raw("<dt>Connection</dt><dd>").Raw(target.Connected ? "<span class=\"good\">connected</span>" : "<span class=\"muted\">disconnected</span>");
        if (target.LastSeen is not null)
        {
            html.Text($" (last seen {target.LastSeen.ToDateTimeOffset().ToString("u", System.Globalization.CultureInfo.InvariantCulture)})");
        }

        html.Raw("</dd><dt>Driver</dt><dd>").Text(target.Driver.Length > 0 ? target.Driver : "-").Raw("</dd><dt>Labels</dt><dd>");
        foreach (var (key, value) in target.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            html.Raw("<span class=\"label\">").Text($"{key}={value}").Raw("</span> ");
        }

        html.Raw("</dd><dt>Facts</dt><dd>");
        foreach (var (key, value) in target.Facts.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            html.Raw("<span class=\"label\">").Text($"{key}={value}").Raw("</span> ");
        }

        html.Raw("</dd></dl><h2>Capabilities</h2>");
        if (target.Capabilities.Count == 0)
        {
            html.Raw("<p>Nothing placed here.</p>");
        }
        else
        {
            html.Raw("<table><thead><tr><th scope=\"col\">Capability</th><th scope=\"col\">Runs</th><th scope=\"col\">Wanted</th><th scope=\"col\">State</th><th scope=\"col\">Last message</th></tr></thead><tbody>");
            foreach (var (name, capability) in target.Capabilities.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                html.Raw(StateText.IsBad(StateNames.Of(capability.State)) ? "<tr class=\"row-bad\">" : "<tr>").Raw("<th scope=\"row\">").Text(name).Raw("</th><td>")
                    .Text($"r{capability.Revision}").Raw("</td><td>").Text($"r{capability.DesiredRevision}").Raw("</td><td><span class=\"")
                    .Raw(StateText.Tone(StateNames.Of(capability.State))).Raw("\">").Text(StateText.Text(StateNames.Of(capability.State))).Raw("</span></td><td class=\"message\">")
                    .Text(capability.Message).Raw("</td></tr>");
            }

            html.Raw("</tbody></table>");
        }

        html.Raw("</section>");
        return html.ToString();
    }

    private static void State(Html html, TargetCapability capability)
    {
        html.Raw("<span class=\"").Raw(StateText.Tone(StateNames.Of(capability.State))).Raw("\">").Text(StateText.Text(StateNames.Of(capability.State))).Raw("</span>");
        if (capability.Message.Length > 0)
        {
            html.Raw(" <span class=\"message\">").Text(capability.Message).Raw("</span>");
        }
    }
}
