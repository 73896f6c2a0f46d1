using Fleet.Domain.Expressions.Cel;

namespace Fleet.Domain.Yaml;

/// <summary>A resource's <c>includeWhen</c>.</summary>
internal sealed class IncludeWhenReader(DiagnosticSink sink, TemplateScope templates) : SectionReader(sink)
{
    /// <summary>
    /// Reads <c>includeWhen</c>: single <c>${...}</c> conditions over <c>target</c>, <c>capability</c> and an Instance's
    /// <c>inputs</c> (what is known when the hub renders for a target), each of which must give a bool where that can be
    /// known before any target exists.
    /// </summary>
    public List<string> Read(DocEntry entry, string path)
    {
        var conditions = new List<string>();
        if (IsNull(entry.Value) || Expect<DocSequence>(entry.Value, path) is not { } list)
        {
            return conditions;
        }

        for (var i = 0; i < list.Items.Count; i++)
        {
            var field = $"{path}[{i}]";
            if (Expect<DocScalar>(list.Items[i], field) is not { } scalar)
            {
                continue;
            }

            var template = templates.Check(scalar, field, templates.IncludeWhenVariables);
            if (template is not null && !template.IsSingleExpression)
            {
                Report(scalar, field, "an includeWhen condition must be exactly one ${...} expression, e.g. ${target.labels.ring == 'canary'}");
            }
            else if (template?.Expressions[0] is { Compiled: CelProgram { ResultType.Kind: not (CelTypeKind.Bool or CelTypeKind.Dyn) } program } expression)
            {
                ReportAt(scalar, expression.Offset, field, $"includeWhen must give a bool, but '${{{program.Text}}}' gives {program.ResultType}");
            }

            conditions.Add(scalar.Value);
        }

        return conditions;
    }
}
