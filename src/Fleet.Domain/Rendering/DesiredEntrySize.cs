namespace Fleet.Domain.Rendering;

/// <summary>
/// What one capability takes in a target's serialized desired set: <see cref="Bytes"/> as rendered, and
/// <see cref="FailureBytes"/> when it is sent as Failed instead (no resources, only the reason).
/// </summary>
public sealed record DesiredEntrySize(string Key, long Bytes, long FailureBytes);
