namespace Fleet.Domain.Rendering;

/// <summary>
/// One resource exactly as a target receives it; <c>Hash</c> covers everything the agent applies. Exactly one of
/// <see cref="File"/>, <see cref="Manifest"/> and <see cref="Exec"/> is set, unless <see cref="Awaiting"/> is.
/// </summary>
public sealed record RenderedResource(string Id, string Hash, RenderedFile? File)
{
    public RenderedManifest? Manifest { get; init; }

    public RenderedExec? Exec { get; init; }

    /// <summary>The resources this one reads (<c>resources.&lt;id&gt;</c>): the agent applies it only once they are Ready.</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>
    /// Set when it reads resources whose observed state is not known yet: then it has no kind, and the text says what it
    /// waits for. The agent holds what it applied before until the hub renders it with that state.
    /// </summary>
    public string? Awaiting { get; init; }
}
