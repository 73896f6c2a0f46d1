using Fleet.Domain.Inputs;
using YamlDotNet.Core;

namespace Fleet.Domain.Serialization;

/// <summary><c>spec.inputs</c> as YAML: each input as the declaration an operator would write, objects as mappings of fields.</summary>
public static partial class CapabilitySpecYaml
{
    private static void WriteInputs(IEmitter emitter, InputSchema inputs) => Map(emitter, () =>
    {
        foreach (var field in inputs.Fields)
        {
            Key(emitter, field.Name);
            if (field.Type.Fields is { } fields)
            {
                WriteInputs(emitter, fields);
            }
            else
            {
                Scalar(emitter, InputDeclarationFormatter.Format(field), quote: true);
            }
        }
    });
}
