namespace Fleet.Domain.Rendering;

/// <summary>One resource exactly as a target receives it; <c>Hash</c> covers everything the agent applies.</summary>
public sealed record RenderedResource(string Id, string Hash, RenderedFile? File);
