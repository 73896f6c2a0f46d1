using Fleet.Domain.Model;
using Fleet.Domain.Validation;

namespace Fleet.Domain.Placement;

/// <summary>
/// The kubectl <c>-l</c> syntax: comma-separated <c>a=b</c>, <c>a==b</c>, <c>a!=b</c>, <c>a in (x,y)</c>,
/// <c>a notin (x)</c>, <c>a</c> and <c>!a</c>. As in Kubernetes, <c>a!=b</c> also matches targets without <c>a</c>.
/// </summary>
public static class LabelSelectorParser
{
    public static bool TryParse(string text, out LabelSelector selector, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        selector = LabelSelector.Everything;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var requirements = new List<LabelSelectorRequirement>();
        var reader = new SelectorReader(text);
        try
        {
            do
            {
                ParseRequirement(reader, labels, requirements);
                reader.SkipSpaces();
            }
            while (reader.TryConsume(','));

            if (!reader.AtEnd)
            {
                throw reader.Error($"unexpected '{reader.Peek}'");
            }
        }
        catch (FormatException e)
        {
            error = e.Message;
            return false;
        }

        selector = new LabelSelector { MatchLabels = labels, MatchExpressions = requirements };
        return true;
    }

    private static void ParseRequirement(SelectorReader reader, SortedDictionary<string, string> labels, List<LabelSelectorRequirement> requirements)
    {
        reader.SkipSpaces();
        if (reader.TryConsume('!'))
        {
            requirements.Add(new LabelSelectorRequirement(ReadKey(reader), SelectorOperator.DoesNotExist, []));
            return;
        }

        var key = ReadKey(reader);
        reader.SkipSpaces();
        if (reader.AtEnd || reader.Peek == ',')
        {
            requirements.Add(new LabelSelectorRequirement(key, SelectorOperator.Exists, []));
            return;
        }

        if (reader.TryConsume("!="))
        {
            requirements.Add(new LabelSelectorRequirement(key, SelectorOperator.NotIn, [ReadValue(reader)]));
            return;
        }

        if (reader.TryConsume("==") || reader.TryConsume('='))
        {
            var value = ReadValue(reader);
            // A repeated key cannot be a second matchLabels entry; as a requirement it keeps the AND meaning.
            if (!labels.TryAdd(key, value))
            {
                requirements.Add(new LabelSelectorRequirement(key, SelectorOperator.In, [value]));
            }

            return;
        }

        var word = reader.ReadWord();
        var op = word switch
        {
            "in" => SelectorOperator.In,
            "notin" => SelectorOperator.NotIn,
            _ => throw reader.Error(word.Length == 0 ? $"unexpected '{reader.Peek}' after key '{key}'" : $"unknown operator '{word}' (want =, ==, !=, in or notin)"),
        };
        reader.SkipSpaces();
        if (!reader.TryConsume('('))
        {
            throw reader.Error($"expected '(' after '{word}'");
        }

        var values = new List<string>();
        do
        {
            values.Add(ReadValue(reader));
            reader.SkipSpaces();
        }
        while (reader.TryConsume(','));

        if (!reader.TryConsume(')'))
        {
            throw reader.Error($"expected ')' to close the values of '{key} {word}'");
        }

        if (values.Count == 1 && values[0].Length == 0)
        {
            throw reader.Error($"'{key} {word}' needs at least one value");
        }

        requirements.Add(new LabelSelectorRequirement(key, op, values));
    }

    private static string ReadKey(SelectorReader reader)
    {
        reader.SkipSpaces();
        var start = reader.Position;
        var key = reader.ReadWord();
        if (key.Length == 0)
        {
            throw reader.Error(reader.AtEnd ? "expected a label key, found the end" : $"expected a label key, found '{reader.Peek}'", start);
        }

        return NameRules.IsLabelKey(key) ? key : throw reader.Error($"invalid label key '{key}'", start);
    }

    private static string ReadValue(SelectorReader reader)
    {
        reader.SkipSpaces();
        var start = reader.Position;
        var value = reader.ReadWord();
        return NameRules.IsLabelValue(value) ? value : throw reader.Error($"invalid label value '{value}'", start);
    }
}
