namespace Fleet.Domain.Inputs;

/// <summary>Checks inputs given as plain values against a capability's <see cref="InputSchema"/>, without a document at hand.</summary>
public static class InputValidator
{
    /// <summary>
    /// Checks <paramref name="inputs"/> (plain values: strings, <c>long</c>, <c>double</c>, <c>bool</c>, lists, string-keyed
    /// maps) against <paramref name="schema"/> and applies the defaults, nested ones too. Every violation is reported, each
    /// naming its input (<c>spec.inputs.replicas</c>); a null value counts as left out. Resolved inputs resolve to
    /// themselves, so inputs stored for an older revision can be checked again against a newer revision's schema.
    /// </summary>
    public static InputValidation Validate(InputSchema schema, IReadOnlyDictionary<string, object?>? inputs)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return InputResolver.Resolve(schema, inputs);
    }
}
