using Fleet.Domain.Model;
using Fleet.Domain.Validation;

namespace Fleet.Domain.Yaml;

/// <summary>
/// <c>kind: Instance</c> (SPEC §2): the capability it requests and its inputs as plain values. Whether the inputs fit
/// that capability's schema is not known here (the schema lives on the hub): <c>InstanceInputs.Check</c> decides that.
/// </summary>
internal sealed class InstanceReader(DiagnosticSink sink) : SectionReader(sink)
{
    public InstanceSpec? Read(DocMapping spec, string name)
    {
        var fields = Fields(spec, "spec", ["capability", "inputs"]);
        var capability = RequiredString(spec, fields, "capability", "spec.capability");
        if (capability is { } c && !NameRules.IsDns1123Label(c.Value))
        {
            Report(c.Node, "spec.capability", $"'{c.Value}' is not a valid capability name: {Dns1123Rule}");
        }

        IReadOnlyDictionary<string, object?> inputs = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        if (Mapping(spec, fields, "inputs", InputsReader.InputsPath, required: false) is { } map && InputValue(map, InputsReader.InputsPath) is IReadOnlyDictionary<string, object?> given)
        {
            inputs = given;
        }

        return capability is null ? null : new InstanceSpec { Name = name, Capability = capability.Value.Value, Inputs = inputs };
    }

    /// <summary>
    /// A value as YAML's core schema types it (<c>3</c> an integer, <c>"3"</c> a string, <c>3.5</c> a number), so an
    /// integer input given as text is refused rather than guessed at. Nothing in an Instance is a template.
    /// </summary>
    private object? InputValue(DocNode node, string path)
    {
        switch (node)
        {
            case DocScalar scalar:
                var value = CoreSchema.Resolve(scalar, out var error);
                if (error is not null)
                {
                    Report(scalar, path, error);
                }

                return value;
            case DocSequence sequence:
                var list = new List<object?>(sequence.Items.Count);
                for (var i = 0; i < sequence.Items.Count; i++)
                {
                    list.Add(InputValue(sequence.Items[i], $"{path}[{i}]"));
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
                    if (!map.TryAdd(key.Value, InputValue(valueNode, field)))
                    {
                        Report(key, field, $"duplicate field '{key.Value}'");
                    }
                }

                return map;
            default:
                return null;
        }
    }
}
