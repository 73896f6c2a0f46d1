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
        if (Mapping(spec, fields, "inputs", InputsReader.InputsPath, required: false) is { } map && PlainValue(map, InputsReader.InputsPath) is IReadOnlyDictionary<string, object?> given)
        {
            inputs = given;
        }

        return capability is null ? null : new InstanceSpec { Name = name, Capability = capability.Value.Value, Inputs = inputs };
    }
}
