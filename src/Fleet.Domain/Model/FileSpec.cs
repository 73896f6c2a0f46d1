namespace Fleet.Domain.Model;

/// <summary>A file the files driver writes: <c>Path</c> is relative to the agent's root; strings may hold <c>${...}</c>.</summary>
public sealed record FileSpec
{
    public required string Path { get; init; }
    public string Content { get; init; } = "";

    /// <summary>Octal permission bits as written, e.g. <c>"0644"</c>; null means the driver default (0644).</summary>
    public string? Mode { get; init; }
}
