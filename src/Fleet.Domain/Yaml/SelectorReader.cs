using Fleet.Domain.Model;
using Fleet.Domain.Validation;

namespace Fleet.Domain.Yaml;

/// <summary>A label selector (<c>matchLabels</c>, <c>matchExpressions</c>), of the placement or of a wave.</summary>
internal sealed class SelectorReader(DiagnosticSink sink) : SectionReader(sink)
{
    public LabelSelector Read(DocMapping selector, string path)
    {
        var fields = Fields(selector, path, ["matchLabels", "matchExpressions"]);
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (Mapping(selector, fields, "matchLabels", path + ".matchLabels", required: false) is { } matchLabels)
        {
            foreach (var (keyNode, valueNode) in matchLabels.Entries)
            {
                if (String(keyNode, path + ".matchLabels") is not { } key)
                {
                    continue;
                }

                var field = $"{path}.matchLabels.{key}";
                if (!NameRules.IsLabelKey(key))
                {
                    Report(keyNode, field, $"'{key}' is not a valid label key: {LabelKeyRule}");
                }

                var value = IsNull(valueNode) ? "" : String(valueNode, field);
                if (value is not null && !NameRules.IsLabelValue(value))
                {
                    Report(valueNode, field, $"'{value}' is not a valid label value: {LabelValueRule}");
                }

                if (!labels.TryAdd(key, value ?? ""))
                {
                    Report(keyNode, field, $"duplicate label key '{key}'");
                }
            }
        }

        var requirements = new List<LabelSelectorRequirement>();
        if (Sequence(selector, fields, "matchExpressions", path + ".matchExpressions", required: false) is { } expressions)
        {
            for (var i = 0; i < expressions.Items.Count; i++)
            {
                var itemPath = $"{path}.matchExpressions[{i}]";
                if (Expect<DocMapping>(expressions.Items[i], itemPath) is { } item && ReadRequirement(item, itemPath) is { } requirement)
                {
                    requirements.Add(requirement);
                }
            }
        }

        return labels.Count == 0 && requirements.Count == 0
            ? LabelSelector.Everything
            : new LabelSelector { MatchLabels = labels, MatchExpressions = requirements };
    }

    private LabelSelectorRequirement? ReadRequirement(DocMapping item, string path)
    {
        var fields = Fields(item, path, ["key", "operator", "values"]);
        var key = RequiredString(item, fields, "key", path + ".key");
        if (key is { } k && !NameRules.IsLabelKey(k.Value))
        {
            Report(k.Node, path + ".key", $"'{k.Value}' is not a valid label key: {LabelKeyRule}");
        }

        SelectorOperator? op = null;
        if (RequiredString(item, fields, "operator", path + ".operator") is { } o)
        {
            op = o.Value switch
            {
                "In" => SelectorOperator.In,
                "NotIn" => SelectorOperator.NotIn,
                "Exists" => SelectorOperator.Exists,
                "DoesNotExist" => SelectorOperator.DoesNotExist,
                _ => null,
            };
            if (op is null)
            {
                Report(o.Node, path + ".operator", $"unknown operator '{o.Value}' (want In, NotIn, Exists or DoesNotExist)");
            }
        }

        var values = new List<string>();
        fields.TryGetValue("values", out var valuesEntry);
        var valuesGiven = valuesEntry is not null && !IsNull(valuesEntry.Value);
        if (valuesGiven && Expect<DocSequence>(valuesEntry!.Value, path + ".values") is { } list)
        {
            for (var i = 0; i < list.Items.Count; i++)
            {
                var field = $"{path}.values[{i}]";
                if (String(list.Items[i], field) is { } value)
                {
                    if (!NameRules.IsLabelValue(value))
                    {
                        Report(list.Items[i], field, $"'{value}' is not a valid label value: {LabelValueRule}");
                    }

                    values.Add(value);
                }
            }
        }

        switch (op)
        {
            case SelectorOperator.In or SelectorOperator.NotIn when values.Count == 0:
                Report(valuesGiven ? valuesEntry!.Value : item, path + ".values", $"operator {op} needs at least one value");
                break;
            case SelectorOperator.Exists or SelectorOperator.DoesNotExist when values.Count > 0:
                Report(valuesEntry!.Value, path + ".values", $"operator {op} takes no values");
                break;
        }

        return key is not null && op is not null ? new LabelSelectorRequirement(key.Value.Value, op.Value, values) : null;
    }
}
