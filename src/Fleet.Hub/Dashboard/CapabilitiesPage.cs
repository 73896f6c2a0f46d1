using System.Globalization;
using Fleet.Protocol.Admin;
using Fleet.Protocol.Admin.V1;

namespace Fleet.Hub.Dashboard;

/// <summary>
/// The Capabilities pages: the list (what <c>fleet get capabilities</c> shows), and one capability as
/// <c>fleet describe capability</c> shows it: its revisions, its spec, its placement on every target with the
/// reason, and its Instances.
/// </summary>
internal static class CapabilitiesPage
{
    public static string List(IReadOnlyList<Capability> capabilities)
    {
        var html = new Html();
        if (capabilities.Count == 0)
        {
            return html.Raw("<p>No capabilities yet (<code>fleet apply -f capability.yaml</code>).</p>").ToString();
        }

        html.Raw("<table><caption class=\"visually-hidden\">Capabilities</caption><thead><tr><th scope=\"col\">Capability</th><th scope=\"col\">Version</th>")
            .Raw("<th scope=\"col\">Revision</th><th scope=\"col\">Stable</th><th scope=\"col\">Targets</th><th scope=\"col\">Active rollout</th></tr></thead><tbody>");
        foreach (var capability in capabilities.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            html.Raw("<tr><th scope=\"row\"><a href=\"/capabilities/").Raw(Html.Query(capability.Name)).Raw("\">").Text(capability.Name).Raw("</a></th>")
                .Raw("<td>").Text(capability.Version).Raw("</td><td>").Text(Number(capability.Revision)).Raw("</td><td>").Text(Number(capability.StableRevision))
                .Raw("</td><td>").Text(capability.Targets.ToString(CultureInfo.InvariantCulture)).Raw("</td><td>").Text(capability.ActiveRollout.Length > 0 ? capability.ActiveRollout : "-")
                .Raw("</td></tr>");
        }

        return html.Raw("</tbody></table>").ToString();
    }

    public static string Detail(CapabilityDescription description, IReadOnlyList<Instance> instances)
    {
        var capability = description.Capability;
        var html = new Html();
        html.Raw("<p>").Text($"version {capability.Version}, revision {capability.Revision}, stable revision {Number(capability.StableRevision)}")
            .Raw(capability.ActiveRollout.Length > 0 ? " · active rollout " : "").Text(capability.ActiveRollout).Raw("</p>")
            .Raw("<p>Revisions: ").Text(string.Join(", ", capability.Revisions.Select(r => $"r{r}"))).Raw("</p>");

        html.Raw("<section aria-labelledby=\"placement\"><h2 id=\"placement\">Placement</h2>");
        var placed = description.Placement.Count(p => p.Placed);
        html.Raw("<p class=\"summary\">").Text($"placed on {placed} of {description.Placement.Count} targets").Raw("</p>")
            .Raw("<table><thead><tr><th scope=\"col\">Target</th><th scope=\"col\">Placed</th><th scope=\"col\">Why</th><th scope=\"col\">Runs</th></tr></thead><tbody>");
        foreach (var decision in description.Placement.OrderBy(p => p.Target, StringComparer.Ordinal))
        {
            var state = StateNames.Of(decision.State);
            html.Raw(StateText.IsBad(state) ? "<tr class=\"row-bad\">" : "<tr>").Raw("<th scope=\"row\">").Text(decision.Target).Raw("</th><td>")
                .Raw(decision.Placed ? "yes" : "<span class=\"muted\">no</span>").Raw("</td><td>").Text(decision.Reason).Raw("</td><td>");
            if (decision.Revision > 0)
            {
                html.Text($"r{decision.Revision} ").Raw("<span class=\"").Raw(StateText.Tone(state)).Raw("\">").Text(StateText.Text(state)).Raw("</span>");
            }
            else
            {
                html.Raw("<span class=\"muted\">nothing</span>");
            }

            html.Raw("</td></tr>");
        }

        html.Raw("</tbody></table></section>");

        html.Raw("<section aria-labelledby=\"instances\"><h2 id=\"instances\">Instances</h2>");
        var own = instances.Where(i => i.Capability == capability.Name).OrderBy(i => i.Name, StringComparer.Ordinal).ToList();
        if (own.Count == 0)
        {
            html.Raw("<p>No instances.</p>");
        }
        else
        {
            html.Raw("<table><thead><tr><th scope=\"col\">Instance</th><th scope=\"col\">Revision</th><th scope=\"col\">Capability revision</th><th scope=\"col\">Targets</th><th scope=\"col\">Inputs</th></tr></thead><tbody>");
            foreach (var instance in own)
            {
                html.Raw("<tr><th scope=\"row\">").Text(instance.Name).Raw("</th><td>").Text(Number(instance.Revision)).Raw("</td><td>").Text(Number(instance.CapabilityRevision))
                    .Raw("</td><td>").Text(instance.Targets.ToString(CultureInfo.InvariantCulture)).Raw("</td><td><code>").Text(instance.InputsJson).Raw("</code></td></tr>");
            }

            html.Raw("</tbody></table>");
        }

        html.Raw("</section>");
        html.Raw("<section aria-labelledby=\"spec\"><h2 id=\"spec\">Spec of revision ").Text(Number(capability.Revision)).Raw("</h2><pre tabindex=\"0\">").Text(description.SpecYaml).Raw("</pre></section>");
        return html.ToString();
    }

    private static string Number(long value) => value > 0 ? value.ToString(CultureInfo.InvariantCulture) : "-";
}
