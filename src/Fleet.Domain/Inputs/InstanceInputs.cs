using Fleet.Domain.Diagnostics;
using Fleet.Domain.Model;
using Fleet.Domain.Yaml;

namespace Fleet.Domain.Inputs;

/// <summary>
/// Checks an Instance document's inputs against the schema of the capability it names, which only the hub (or a file
/// that defines the capability too) knows. Problems point into the Instance document: a wrong value at the value, an
/// unknown input at its name, a missing one at <c>spec.inputs</c> (or <c>spec</c> when there are no inputs at all).
/// </summary>
public static class InstanceInputs
{
    /// <summary>
    /// The inputs of <paramref name="instanceDocument"/> resolved against <paramref name="schema"/> (the inputs of the
    /// capability's latest revision; null when it takes none, which is an error: such a capability has no Instances).
    /// </summary>
    public static InstanceInputsResult Check(ParsedDocument instanceDocument, InputSchema? schema)
    {
        ArgumentNullException.ThrowIfNull(instanceDocument);
        if (NotAnInstance(instanceDocument) is { } refused)
        {
            return refused;
        }

        var instance = instanceDocument.Instance!;
        var locator = new InstanceLocator(instanceDocument);
        if (schema is null)
        {
            return Failed(locator.At(["spec", "capability"], "spec.capability",
                $"capability '{instance.Capability}' takes no inputs: it is delivered to every placed target without an Instance"));
        }

        var validation = InputValidator.Validate(schema, instance.Inputs);
        return validation.IsValid
            ? new InstanceInputsResult(validation.Resolved, [])
            : Failed([.. validation.Details.Select(locator.At)]);
    }

    /// <summary>
    /// As <see cref="Check(ParsedDocument, InputSchema?)"/> against the inputs of <paramref name="capability"/>; null means
    /// no such capability exists, and a capability of another name than the one the Instance requests is refused too.
    /// </summary>
    public static InstanceInputsResult Check(ParsedDocument instanceDocument, CapabilitySpec? capability)
    {
        ArgumentNullException.ThrowIfNull(instanceDocument);
        if (NotAnInstance(instanceDocument) is { } refused)
        {
            return refused;
        }

        var requested = instanceDocument.Instance!.Capability;
        if (capability is null || capability.Name != requested)
        {
            return Failed(new InstanceLocator(instanceDocument).At(["spec", "capability"], "spec.capability",
                capability is null
                    ? $"capability '{requested}' does not exist: apply it before its Instances"
                    : $"the Instance requests capability '{requested}', not '{capability.Name}'"));
        }

        return Check(instanceDocument, capability.Inputs);
    }

    /// <summary>A document that is not a valid Instance cannot be checked: its own errors (or why) come back instead.</summary>
    private static InstanceInputsResult? NotAnInstance(ParsedDocument document)
    {
        if (document.Instance is not null && document.Errors.Count == 0)
        {
            return null;
        }

        return Failed(document.Errors.Count > 0
            ? [.. document.Errors]
            : [new Diagnostic(document.Source, document.Line, 1, "kind", $"the document is a {(document.Kind.Length > 0 ? document.Kind : "document of no kind")}, not an Instance")]);
    }

    private static InstanceInputsResult Failed(params Diagnostic[] errors) => new(null, errors);
}
