namespace Fleet.Domain.Rendering;

/// <summary>A resource's <c>readyWhen</c> conditions with an Instance's values written in, or why they could not be.</summary>
internal sealed record BoundReadyWhen(IReadOnlyList<string> Conditions, string? Error);
