using Fleet.Domain.Diagnostics;
using Fleet.Domain.Model;

namespace Fleet.Domain.Yaml;

/// <summary>
/// One document of a YAML file, checked. <see cref="Line"/> is the 1-based line its text starts on in
/// <see cref="Source"/>, and <see cref="Text"/> is that document alone, so the hub can re-parse it with
/// <see cref="DocumentParser.ParseOne"/> and report the very same positions.
/// </summary>
public sealed record ParsedDocument(
    string Source,
    int Line,
    string Kind,
    string Name,
    string Text,
    CapabilitySpec? Capability,
    IReadOnlyList<Diagnostic> Errors)
{
    public bool IsValid => Errors.Count == 0 && Capability is not null;
}
