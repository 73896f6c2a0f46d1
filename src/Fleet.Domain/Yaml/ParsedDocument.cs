using Fleet.Domain.Diagnostics;
using Fleet.Domain.Model;

namespace Fleet.Domain.Yaml;

/// <summary>
/// One document of a YAML file, checked. <see cref="Line"/> is the 1-based line its text starts on in
/// <see cref="Source"/>, and <see cref="Text"/> is that document alone, so the hub can re-parse it with
/// <see cref="DocumentParser.ParseOne"/> and report the very same positions. A valid document holds either a
/// <see cref="Capability"/> or an <see cref="Instance"/>, as its <see cref="Kind"/> says.
/// </summary>
public sealed record ParsedDocument(
    string Source,
    int Line,
    string Kind,
    string Name,
    string Text,
    CapabilitySpec? Capability,
    IReadOnlyList<Diagnostic> Errors,
    InstanceSpec? Instance = null)
{
    public bool IsValid => Errors.Count == 0 && (Capability is not null || Instance is not null);
}
