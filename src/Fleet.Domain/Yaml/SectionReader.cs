using System.Globalization;
using Fleet.Domain.Model;
using Fleet.Domain.Validation;

namespace Fleet.Domain.Yaml;

/// <summary>
/// What every reader of a section of a document needs: typed access to the fields of a mapping, each problem
/// reported into the one <see cref="DiagnosticSink"/> of the document, so a reader reports all it finds and goes on.
/// </summary>
internal abstract class SectionReader(DiagnosticSink sink)
{
    protected const string Dns1123Rule = "lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";
    protected const string LabelKeyRule = "an optional DNS subdomain prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
    protected const string LabelValueRule = "empty, or at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit";

    protected DiagnosticSink Sink => sink;

    protected static bool IsNull(DocNode node) => node is DocScalar { IsNull: true };

    protected static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    protected void Report(DocNode node, string field, string message) => sink.Report(node, field, message);

    protected void ReportAt(DocScalar scalar, int valueOffset, string field, string message) => sink.ReportAt(scalar, valueOffset, field, message);

    /// <summary>
    /// The entries of <paramref name="map"/> by key, reporting unknown keys (typos would otherwise be
    /// silently ignored) and duplicate keys.
    /// </summary>
    protected Dictionary<string, DocEntry> Fields(DocMapping map, string path, string[] known)
    {
        var fields = new Dictionary<string, DocEntry>(StringComparer.Ordinal);
        foreach (var entry in map.Entries)
        {
            if (entry.Key is not DocScalar { } key)
            {
                Report(entry.Key, path, $"keys must be strings, not {entry.Key.Description}");
                continue;
            }

            var field = Join(path, key.Value);
            if (!known.Contains(key.Value, StringComparer.Ordinal))
            {
                var suggestion = Suggestions.Closest(key.Value, known);
                Report(key, field, suggestion is null ? $"unknown field '{key.Value}'" : $"unknown field '{key.Value}' (did you mean '{suggestion}'?)");
            }
            else if (!fields.TryAdd(key.Value, entry))
            {
                Report(key, field, $"duplicate field '{key.Value}'");
            }
        }

        return fields;
    }

    protected DocMapping? Mapping(DocMapping parent, Dictionary<string, DocEntry> fields, string name, string field, bool required) =>
        Present(parent, fields, name, field, required) is { } node ? Expect<DocMapping>(node, field) : null;

    protected DocSequence? Sequence(DocMapping parent, Dictionary<string, DocEntry> fields, string name, string field, bool required) =>
        Present(parent, fields, name, field, required) is { } node ? Expect<DocSequence>(node, field) : null;

    protected (DocNode Node, string Value)? RequiredString(DocMapping parent, Dictionary<string, DocEntry> fields, string name, string field) =>
        Present(parent, fields, name, field, required: true) is { } node && String(node, field) is { } value ? (node, value) : null;

    protected string? OptionalString(Dictionary<string, DocEntry> fields, string name, string field) =>
        fields.TryGetValue(name, out var entry) && !IsNull(entry.Value) ? String(entry.Value, field) : null;

    /// <summary>The value of a field that has one; a missing required field is reported at its parent.</summary>
    protected DocNode? Present(DocMapping parent, Dictionary<string, DocEntry> fields, string name, string field, bool required)
    {
        if (fields.TryGetValue(name, out var entry) && !IsNull(entry.Value))
        {
            return entry.Value;
        }

        if (required)
        {
            Report(entry?.Key ?? parent, field, $"{name} is required");
        }

        return null;
    }

    /// <summary>
    /// A YAML tree as plain values, typed as YAML's core schema types them (<c>3</c> an integer, <c>"3"</c> a string),
    /// with string keys only, sorted, each error at its field path. <paramref name="onText"/> sees every string value
    /// and <paramref name="onKey"/> every key, for what a section allows in them (templates in a manifest, none in an
    /// Instance).
    /// </summary>
    protected object? PlainValue(DocNode node, string path, Action<DocScalar, string>? onText = null, Action<DocScalar, string>? onKey = null)
    {
        switch (node)
        {
            case DocScalar scalar:
                var value = CoreSchema.Resolve(scalar, out var error);
                if (error is not null)
                {
                    Report(scalar, path, error);
                }
                else if (value is string)
                {
                    onText?.Invoke(scalar, path);
                }

                return value;
            case DocSequence sequence:
                var list = new List<object?>(sequence.Items.Count);
                for (var i = 0; i < sequence.Items.Count; i++)
                {
                    list.Add(PlainValue(sequence.Items[i], $"{path}[{i}]", onText, onKey));
                }

                return list;
            case DocMapping mapping:
                var map = new SortedDictionary<string, object?>(StringComparer.Ordinal);
                foreach (var (keyNode, valueNode) in mapping.Entries)
                {
                    if (keyNode is not DocScalar { IsNull: false } key)
                    {
                        Report(keyNode, path, $"keys must be strings, not {keyNode.Description}");
                        continue;
                    }

                    var field = $"{path}.{key.Value}";
                    onKey?.Invoke(key, field);
                    if (!map.TryAdd(key.Value, PlainValue(valueNode, field, onText, onKey)))
                    {
                        Report(key, field, $"duplicate field '{key.Value}'");
                    }
                }

                return map;
            default:
                return null;
        }
    }

    protected T? Expect<T>(DocNode node, string field)
        where T : DocNode
    {
        if (node is T typed)
        {
            return typed;
        }

        var wanted = typeof(T) == typeof(DocMapping) ? "a mapping" : typeof(T) == typeof(DocSequence) ? "a list" : "a string";
        Report(node, field, $"must be {wanted}, not {node.Description}");
        return null;
    }

    protected string? String(DocNode node, string field) => Expect<DocScalar>(node, field)?.Value;

    protected T? OptionalChoice<T>(Dictionary<string, DocEntry> fields, string name, string path, params (string Text, T Value)[] choices)
        where T : struct
    {
        if (OptionalString(fields, name, Join(path, name)) is not { } text)
        {
            return null;
        }

        foreach (var (choice, value) in choices)
        {
            if (choice == text)
            {
                return value;
            }
        }

        Report(fields[name].Value, Join(path, name), $"{name} must be {string.Join(" or ", choices.Select(c => $"'{c.Text}'"))}, not '{text}'");
        return null;
    }

    protected IntOrPercent? OptionalCount(Dictionary<string, DocEntry> fields, string name, string field, bool allowZero)
    {
        if (OptionalString(fields, name, field) is not { } text)
        {
            return null;
        }

        if (IntOrPercent.TryParse(text, out var parsed) && text.Trim() == text && (allowZero || parsed.Value >= 1))
        {
            return parsed;
        }

        var lowest = allowZero ? "0" : "1";
        Report(fields[name].Value, field, $"{name} must be a count of at least {lowest} or a percentage from {lowest}% to 100%, not '{text}'");
        return null;
    }

    protected int? OptionalInt(Dictionary<string, DocEntry> fields, string name, string field, int min, int max)
    {
        if (OptionalString(fields, name, field) is not { } text)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Report(fields[name].Value, field, $"{name} must be a whole number from {min} to {max}, not '{text}'");
        return null;
    }
}
