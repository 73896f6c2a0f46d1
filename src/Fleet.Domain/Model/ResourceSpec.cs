namespace Fleet.Domain.Model;

/// <summary>One resource of a capability. Exactly one kind is set; only <c>file</c> exists so far.</summary>
public sealed record ResourceSpec
{
    public required string Id { get; init; }
    public FileSpec? File { get; init; }
}
