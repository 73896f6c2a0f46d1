using Fleet.Domain.Diagnostics;

namespace Fleet.Domain.Inputs;

/// <summary>
/// An Instance's inputs checked against its capability: <see cref="Resolved"/> holds them with every default applied
/// when they fit; otherwise it is null and <see cref="Errors"/> says why, each at its <c>FILE:LINE:COLUMN</c>.
/// </summary>
public sealed record InstanceInputsResult(IReadOnlyDictionary<string, object?>? Resolved, IReadOnlyList<Diagnostic> Errors)
{
    public bool IsValid => Resolved is not null && Errors.Count == 0;
}
