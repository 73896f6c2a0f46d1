using System.Globalization;
using Fleet.Protocol.Security.V1;

namespace Fleet.Hub.Dashboard;

/// <summary>
/// The Audit page: the hub's audit log newest first, <see cref="PageSize"/> entries a page, filtered by actor and by
/// method. The admin API hands out the newest <see cref="Window"/> records at most and filters none, so the filter
/// applies to that window (the page says so).
/// </summary>
internal static class AuditPage
{
    public const int PageSize = 100;

    /// <summary>The hub's own bound on one ListAudit answer (SecurityLimits.MaxAuditRecords).</summary>
    public const int Window = 10_000;

    /// <summary>How many of the newest records to ask for: only as many as the page needs unless a filter must see them all.</summary>
    public static int Limit(int page, string actor, string action) =>
        actor.Length > 0 || action.Length > 0 ? Window : Math.Min(Window, Math.Max(1, page) * PageSize);

    public static string Body(IReadOnlyList<AuditEntry> oldestFirst, string actor, string action, int page)
    {
        var html = new Html();
        html.Raw("<form class=\"filter\" method=\"get\" action=\"/audit\" role=\"search\">")
            .Raw("<label for=\"actor\">Actor</label><input id=\"actor\" name=\"actor\" value=\"").Text(actor).Raw("\" placeholder=\"token:… or target:…\" autocomplete=\"off\">")
            .Raw("<label for=\"action\">Action</label><input id=\"action\" name=\"action\" value=\"").Text(action).Raw("\" placeholder=\"ApproveRollout\" autocomplete=\"off\">")
            .Raw("<button type=\"submit\">Filter</button></form>");
        var matching = oldestFirst
            .Where(e => actor.Length == 0 || e.Who.Contains(actor, StringComparison.OrdinalIgnoreCase))
            .Where(e => action.Length == 0 || e.Method.Contains(action, StringComparison.OrdinalIgnoreCase))
            .Reverse()
            .ToList();
        var pages = Math.Max(1, (matching.Count + PageSize - 1) / PageSize);
        page = Math.Clamp(page, 1, pages);
        html.Raw("<section id=\"audit\">");
        if (actor.Length > 0 || action.Length > 0)
        {
            html.Raw("<p class=\"muted\">").Text($"{matching.Count} matching entries among the newest {Window}.").Raw("</p>");
        }

        html.Raw("<table><caption class=\"visually-hidden\">Audit log, newest first</caption><thead><tr><th scope=\"col\">#</th><th scope=\"col\">Time (UTC)</th>")
            .Raw("<th scope=\"col\">Actor</th><th scope=\"col\">Role</th><th scope=\"col\">Action</th><th scope=\"col\">Object</th><th scope=\"col\">Outcome</th></tr></thead><tbody>");
        foreach (var entry in matching.Skip((page - 1) * PageSize).Take(PageSize))
        {
            var bad = entry.Outcome is not ("ok" or "started") && !entry.Outcome.StartsWith("ok ", StringComparison.Ordinal);
            html.Raw(bad ? "<tr class=\"row-bad\">" : "<tr>").Raw("<td>").Text(entry.Sequence.ToString(CultureInfo.InvariantCulture)).Raw("</td><td>")
                .Text(entry.Time?.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Raw("</td><td>").Text(entry.Who).Raw("</td><td>").Text(entry.Role)
                .Raw("</td><td>").Text(entry.Method[(entry.Method.LastIndexOf('/') + 1)..]).Raw("</td><td>").Text(entry.Object).Raw("</td><td>")
                .Raw(bad ? "<span class=\"bad\">" : "<span>").Text(entry.Outcome).Raw("</span>").Raw(entry.Detail.Length > 0 ? " <span class=\"message\">" : "").Text(entry.Detail)
                .Raw(entry.Detail.Length > 0 ? "</span>" : "").Raw("</td></tr>");
        }

        html.Raw("</tbody></table><nav class=\"pager\" aria-label=\"Pages\">").Text($"page {page} of {pages} ");
        var query = $"actor={Html.Query(actor)}&amp;action={Html.Query(action)}";
        if (page > 1)
        {
            html.Raw($"<a href=\"/audit?{query}&amp;page={page - 1}\">newer</a> ");
        }

        // Without a filter only what this page needed was fetched: there is an older page when the window was full.
        if (page < pages || (actor.Length == 0 && action.Length == 0 && oldestFirst.Count == Limit(page, actor, action) && page * PageSize < Window))
        {
            html.Raw($"<a href=\"/audit?{query}&amp;page={page + 1}\">older</a>");
        }

        return html.Raw("</nav></section>").ToString();
    }
}
