using Fleet.Domain.Inputs;
using Fleet.Domain.Serialization;

namespace Fleet.Hub.Instances;

/// <summary>An instance's given inputs resolved against one capability revision's schema, or why they do not fit it.</summary>
internal static class GivenInputs
{
    /// <summary>The canonical JSON of the resolved inputs, or the violations (each naming its input) when they do not fit.</summary>
    public static (string? InputsJson, IReadOnlyList<string> Violations) Resolve(string capabilitySpecJson, string givenInputsJson)
    {
        var spec = CapabilitySpecJson.Deserialize(capabilitySpecJson);
        if (spec.Inputs is null)
        {
            return (null, [$"capability '{spec.Name}' takes no inputs: it is delivered to every placed target without an Instance"]);
        }

        var result = InputValidator.Validate(spec.Inputs, InputValuesJson.Deserialize(givenInputsJson));
        return result.Violations.Count > 0 || result.Resolved is null
            ? (null, result.Violations)
            : (InputValuesJson.Serialize(result.Resolved), []);
    }
}
