using Fleet.Protocol.Admin;
using System.Globalization;
using Fleet.Protocol.Admin.V1;

namespace Fleet.Hub.Dashboard;

/// <summary>The Rollouts page: per-wave progress, the gate, failures with their messages, and the operator's actions.</summary>
internal static class RolloutsPage
{
    /// <summary>What the buttons post; each is the admin API call of the same name.</summary>
    public static readonly IReadOnlyList<string> Actions = ["approve", "pause", "resume", "abort"];

    /// <param name="mayAct">Whether the viewer's role may call the actions: without it the page has no action forms at all.</param>
    public static string Body(IReadOnlyList<Rollout> rollouts, string csrf, bool mayAct, string? notice)
    {
        var html = new Html();
        if (notice is not null)
        {
            html.Raw("<p class=\"notice\" role=\"status\">").Text(notice).Raw("</p>");
        }

        html.Raw("<section id=\"rollouts\" data-live=\"rollouts\">");
        if (rollouts.Count == 0)
        {
            html.Raw("<p>No rollouts yet.</p>");
        }

        foreach (var rollout in rollouts.OrderByDescending(r => r.Created?.ToDateTimeOffset()))
        {
            html.Raw("<article class=\"rollout\" id=\"rollout-").Text(rollout.Id).Raw("\" aria-labelledby=\"h-").Text(rollout.Id).Raw("\">")
                .Raw("<h2 id=\"h-").Text(rollout.Id).Raw("\">").Text($"{rollout.Capability}{(rollout.Instance.Length > 0 ? "/" + rollout.Instance : "")} r{rollout.FromRevision} → r{rollout.ToRevision}")
                .Raw(" <span class=\"phase ").Raw(StateText.Tone(StateNames.Of(rollout.Phase))).Raw("\" data-phase>").Text(StateText.Text(StateNames.Of(rollout.Phase))).Raw("</span></h2>")
                .Raw("<p class=\"muted\">").Text(rollout.Id);
            if (rollout.Gate.Length > 0)
            {
                html.Raw(" · waiting for ").Text(rollout.Gate);
            }

            if (rollout.Eta is not null)
            {
                html.Raw(" · ETA ").Text(rollout.Eta.ToDateTimeOffset().ToString("u", CultureInfo.InvariantCulture));
            }

            html.Raw("</p>");
            if (rollout.Message.Length > 0)
            {
                html.Raw("<p>").Text(rollout.Message).Raw("</p>");
            }

            foreach (var wave in rollout.Waves)
            {
                Wave(html, wave);
            }

            if (mayAct)
            {
                html.Raw("<form method=\"post\" class=\"actions\" action=\"/rollouts/").Text(rollout.Id).Raw("\">")
                    .Raw("<input type=\"hidden\" name=\"csrf\" value=\"").Text(csrf).Raw("\">");
                foreach (var action in Actions)
                {
                    html.Raw("<button type=\"submit\" name=\"action\" value=\"").Raw(action).Raw("\">").Text(CultureInfo.InvariantCulture.TextInfo.ToTitleCase(action)).Raw("</button>");
                }

                html.Raw("</form>");
            }

            html.Raw("</article>");
        }

        html.Raw("</section>");
        return html.ToString();
    }

    private static void Wave(Html html, RolloutWave wave)
    {
        var done = wave.Targets.Count(t => StateText.IsDone(StateNames.Of(t.State)));
        var total = wave.Targets.Count;
        html.Raw("<div class=\"wave\"><div class=\"wave-head\"><span>").Text(wave.Name).Raw("</span> <span class=\"phase ").Raw(StateText.Tone(StateNames.Of(wave.Phase)))
            .Raw("\" data-wave-phase>").Text(StateText.Text(StateNames.Of(wave.Phase))).Raw("</span>").Raw(wave.Approval ? " <span class=\"muted\">(approval)</span>" : "")
            .Raw("</div><progress max=\"").Raw(Math.Max(total, 1).ToString(CultureInfo.InvariantCulture)).Raw("\" value=\"").Raw(done.ToString(CultureInfo.InvariantCulture))
            .Raw("\" aria-label=\"").Text($"wave {wave.Name}: {done} of {total} done").Raw("\"></progress> <span>").Text($"{done}/{total}").Raw("</span>");
        var failures = wave.Targets.Where(t => StateText.IsBad(StateNames.Of(t.State))).ToList();
        if (failures.Count > 0)
        {
            html.Raw("<ul class=\"failures\">");
            foreach (var failure in failures)
            {
                html.Raw("<li><strong class=\"bad\">").Text(failure.Name).Raw("</strong> ").Text(failure.Message).Raw("</li>");
            }

            html.Raw("</ul>");
        }

        html.Raw("</div>");
    }
}
