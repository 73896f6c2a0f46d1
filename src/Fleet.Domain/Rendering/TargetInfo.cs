namespace Fleet.Domain.Rendering;

/// <summary>What templates and placement may know about a target (<c>target.*</c>).</summary>
public sealed record TargetInfo(
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Facts,
    string Driver);
