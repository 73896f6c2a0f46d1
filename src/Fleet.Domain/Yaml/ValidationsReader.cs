using Fleet.Domain.Expressions.Cel;
using Fleet.Domain.Model;

namespace Fleet.Domain.Yaml;

/// <summary>
/// <c>spec.validations</c> (SPEC §7): each entry is a <c>rule</c> over an Instance's <c>inputs</c> or a
/// <c>resourceRule</c> over one rendered resource (<c>self</c>, <c>resource</c>, <c>target</c>), exactly one
/// <c>${...}</c> that gives a bool, with the <c>message</c> a violation is reported with.
/// </summary>
internal sealed class ValidationsReader(DiagnosticSink sink, TemplateScope templates) : SectionReader(sink)
{
    public List<ValidationSpec> Read(DocSequence list)
    {
        var validations = new List<ValidationSpec>();
        for (var i = 0; i < list.Items.Count; i++)
        {
            var path = $"spec.validations[{i}]";
            if (Expect<DocMapping>(list.Items[i], path) is not { } item)
            {
                continue;
            }

            var itemFields = Fields(item, path, ["rule", "resourceRule", "message"]);
            var message = RequiredString(item, itemFields, "message", path + ".message");
            if (message is { } m && m.Value.Trim().Length == 0)
            {
                Report(m.Node, path + ".message", "message must not be empty: it is what an operator sees when the rule is violated");
            }

            var hasRule = itemFields.TryGetValue("rule", out var ruleEntry) && !IsNull(ruleEntry.Value);
            var hasResourceRule = itemFields.TryGetValue("resourceRule", out var resourceEntry) && !IsNull(resourceEntry.Value);
            if (hasRule == hasResourceRule)
            {
                Report(item, path, hasRule
                    ? "a validation needs exactly one of rule or resourceRule, not both"
                    : "a validation needs exactly one of rule (over inputs) or resourceRule (over every rendered resource)");
                continue;
            }

            var (entry, name, allowed) = hasRule ? (ruleEntry!, "rule", templates.RuleVariables) : (resourceEntry!, "resourceRule", templates.ResourceRuleVariables);
            var field = $"{path}.{name}";
            if (hasRule && !templates.TakesInputs)
            {
                Report(entry.Key, field, "a rule reads inputs, but this capability declares none (use resourceRule to check what it renders)");
                continue;
            }

            if (Expect<DocScalar>(entry.Value, field) is not { } scalar || !CheckCondition(scalar, field, allowed, name))
            {
                continue;
            }

            validations.Add(new ValidationSpec
            {
                Rule = hasRule ? scalar.Value : null,
                ResourceRule = hasRule ? null : scalar.Value,
                Message = message?.Value ?? "",
                Source = Sink.Source,
                Line = Sink.Line(scalar),
                Column = (int)scalar.Start.Column,
            });
        }

        return validations;
    }

    /// <summary>Whether <paramref name="scalar"/> is exactly one <c>${...}</c> reading only <paramref name="allowed"/>, of a type that can be a bool.</summary>
    private bool CheckCondition(DocScalar scalar, string field, IReadOnlySet<string> allowed, string name)
    {
        var before = Sink.Count;
        var template = templates.Check(scalar, field, allowed);
        if (template is not null && !template.IsSingleExpression)
        {
            Report(scalar, field, $"a {name} must be exactly one ${{...}} expression that gives a bool, e.g. ${{inputs.replicas <= 5}}");
        }
        else if (template?.Expressions[0] is { Compiled: CelProgram { ResultType.Kind: not (CelTypeKind.Bool or CelTypeKind.Dyn) } program } expression)
        {
            ReportAt(scalar, expression.Offset, field, $"a {name} must give a bool, but '${{{program.Text}}}' gives {program.ResultType}");
        }

        return Sink.Count == before && template is not null;
    }
}
