namespace Fleet.Domain.Rendering;

/// <summary>
/// One resource exactly as a target receives it; <c>Hash</c> covers everything the agent applies. Exactly one of
/// <see cref="File"/>, <see cref="Manifest"/> and <see cref="Exec"/> is set.
/// </summary>
public sealed record RenderedResource(string Id, string Hash, RenderedFile? File)
{
    public RenderedManifest? Manifest { get; init; }

    public RenderedExec? Exec { get; init; }
}
