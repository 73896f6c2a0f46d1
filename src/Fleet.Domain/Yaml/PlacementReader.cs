using Fleet.Domain.Expressions.Cel;
using Fleet.Domain.Model;

namespace Fleet.Domain.Yaml;

/// <summary><c>spec.placement</c>: which targets a capability reaches, by labels and a <c>when</c> condition.</summary>
internal sealed class PlacementReader(DiagnosticSink sink, TemplateScope templates) : SectionReader(sink)
{
    private static readonly IReadOnlySet<string> PlacementVariables = new HashSet<string>(StringComparer.Ordinal) { "target" };

    public PlacementSpec Read(DocMapping placement)
    {
        var fields = Fields(placement, "spec.placement", ["selector", "when"]);
        var selector = Mapping(placement, fields, "selector", "spec.placement.selector", required: false) is { } s
            ? new SelectorReader(Sink).Read(s, "spec.placement.selector")
            : LabelSelector.Everything;
        string? when = null;
        if (fields.TryGetValue("when", out var entry) && !IsNull(entry.Value) && String(entry.Value, "spec.placement.when") is { } text)
        {
            when = text;
            var template = templates.Check((DocScalar)entry.Value, "spec.placement.when", PlacementVariables);
            if (template is not null && !template.IsSingleExpression)
            {
                Report(entry.Value, "spec.placement.when", "when must be exactly one ${...} expression, e.g. ${target.labels.tier != \"legacy\"}");
            }
            else if (template?.Expressions[0] is { Compiled: CelProgram { ResultType.Kind: not (CelTypeKind.Bool or CelTypeKind.Dyn) } program } expression)
            {
                // Known before any target exists: a condition of another type could never place anything.
                ReportAt((DocScalar)entry.Value, expression.Offset, "spec.placement.when", $"when must give a bool, but '${{{program.Text}}}' gives {program.ResultType}");
            }
        }

        return new PlacementSpec { Selector = selector, When = when };
    }
}
