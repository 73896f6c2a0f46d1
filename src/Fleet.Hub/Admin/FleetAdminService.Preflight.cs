using Fleet.Domain.Diagnostics;
using Fleet.Domain.Rendering;
using Fleet.Domain.Yaml;
using Fleet.Hub.Index;
using Fleet.Hub.Rendering;
using Fleet.Hub.Targets;
using Fleet.Protocol;

namespace Fleet.Hub.Admin;

/// <summary>
/// <c>fleet apply</c> renders what it is given for the targets it would reach before anything is stored, and refuses what
/// is bound to fail there for everyone: expressions that together exceed the render budget, and a desired set that would
/// outgrow what an agent receives. What depends on one target alone (a label it lacks) stays that target's Failed state.
/// </summary>
internal sealed partial class FleetAdminService
{
    /// <summary>The errors, positioned in <paramref name="document"/>, of rendering <paramref name="compiled"/> for every target that it places.</summary>
    /// <remarks>
    /// <paramref name="pending"/> holds what the documents of the same apply checked before would add to each target; this
    /// document's sizes are added to it.
    /// </remarks>
    private async Task<List<Diagnostic>> Preflight(ParsedDocument document, CompiledCapability compiled, PendingDesiredSets pending, CancellationToken cancellation)
    {
        var errors = new List<Diagnostic>();
        if (compiled.ConstantWhenError() is { } whenError)
        {
            // Every target would silently count as not placed, and a rollout would succeed on none of them.
            errors.Add(new Diagnostic(document.Source, LineOf(document, "when:"), 1, "spec.placement.when",
                $"{whenError}; it reads nothing of the target, so it fails for every target"));
            return errors;
        }

        if (compiled.HasInputs && compiled.Instance is null)
        {
            // Rendered per instance, with that instance's inputs, when the instance is applied.
            return errors;
        }

        // A rule over inputs holds or not whatever the target: checked once, and even when no target is placed yet.
        errors.AddRange(compiled.InputViolations().Select(v => Violation(document, v, compiled.Instance)));
        var placed = 0;
        foreach (var entry in (await TargetIndex.ListAll(grains)).OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var target = new TargetInfo(entry.Name, entry.Labels, entry.Facts, entry.Driver);
            if (!compiled.Place(target).Placed)
            {
                continue;
            }

            placed++;
            var rendered = await BudgetedRender.RunAsync(compiled, target, null, renderLimits, time, cancellation);
            if (rendered.OverBudgetResource is { } resource)
            {
                // The same for the targets after this one, and each such render is as costly: one is enough to refuse.
                errors.Add(OverBudget(document, resource, $"for target {entry.Name}: {rendered.Error}"));
                return errors;
            }

            // Every resource of every placed target that breaks a resourceRule: the operator fixes them all at once.
            errors.AddRange(rendered.Violations.Where(v => v.ResourceId is not null).Select(v => Violation(document, v, $"target {entry.Name}")));
            if (rendered.Error is not null)
            {
                continue;
            }

            var size = DesiredSetSize.Of(DesiredSetMapper.ToMessage(rendered));
            var current = await grains.GetGrain<ITargetGrain>(entry.Name).DesiredSetSizes();
            var others = new Dictionary<string, long>(current.Capabilities, StringComparer.Ordinal);
            foreach (var (key, pendingSize) in pending.For(entry.Name))
            {
                others[key] = pendingSize;
            }

            pending.Add(entry.Name, compiled.Key, size);
            var total = current.Fixed + size + others.Where(c => c.Key != compiled.Key).Sum(c => c.Value);
            if (total > AgentStreamLimits.MaxDesiredSetBytes)
            {
                errors.Add(new Diagnostic(document.Source, LineOf(document, "resources:"), 1, "spec.resources",
                    DesiredSetFit.TooLargeFor(entry.Name, size, total, AgentStreamLimits.MaxDesiredSetBytes)));
            }
        }

        if (placed == 0)
        {
            // No target yet: what costs the same everywhere is refused now rather than when the first one joins.
            foreach (var driver in Drivers(compiled.Spec))
            {
                var rendered = await BudgetedRender.RunAsync(compiled, new TargetInfo("apply-check", new Dictionary<string, string>(), new Dictionary<string, string>(), driver), null, renderLimits, time, cancellation);
                if (rendered.OverBudgetResource is { } resource)
                {
                    errors.Add(OverBudget(document, resource, rendered.Error!));
                    return errors;
                }
            }
        }

        return errors;
    }

    /// <summary>
    /// A broken rule, at the rule (in its own document, which for an Instance may be the capability applied alongside), else
    /// at <paramref name="document"/>'s first line when the rule comes from a stored revision.
    /// </summary>
    private static Diagnostic Violation(ParsedDocument document, Domain.Validation.ValidationViolation violation, string? subject)
    {
        var rule = violation.Rule;
        var where = violation.ResourceId is null ? subject is null ? "" : $"instance {subject}" : $"{subject}, resource {violation.ResourceId}";
        var message = $"{violation.Message}{(where.Length == 0 ? "" : $" ({where})")}";
        return rule.Line > 0
            ? new Diagnostic(rule.Source, rule.Line, rule.Column, "spec.validations", message)
            : new Diagnostic(document.Source, document.Line, 1, "spec.validations", $"{message}; rule {rule.Text} of the stored capability");
    }

    private static Diagnostic OverBudget(ParsedDocument document, string resource, string reason) =>
        new(document.Source, LineOfResource(document, resource), 1, $"spec.resources[{resource}]",
            $"{reason}; a render of a capability for one target may spend at most the cost budget of all its expressions together, "
            + "so make the expressions cheaper or fewer");

    private static IEnumerable<string> Drivers(Domain.Model.CapabilitySpec spec) =>
        spec.Resources
            .Select(r => r.File is not null ? DriverNames.Files : r.Manifest is not null ? DriverNames.Kubernetes : r.Exec is not null ? DriverNames.Exec : null)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal);

    /// <summary>The line of <c>id: RESOURCE</c> (in a list item or not), else the line of <c>resources:</c>.</summary>
    private static int LineOfResource(ParsedDocument document, string resource)
    {
        var lines = document.Text.Split('\n');
        var index = Array.FindIndex(lines, l => l.TrimStart(' ', '-').TrimEnd('\r').Trim() is var t
            && (t == $"id: {resource}" || t == $"id: \"{resource}\"" || t == $"id: '{resource}'"));
        return index >= 0 ? document.Line + index : LineOf(document, "resources:");
    }
}
