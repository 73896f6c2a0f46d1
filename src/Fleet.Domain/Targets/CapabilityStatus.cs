namespace Fleet.Domain.Targets;

/// <summary>
/// One capability on a target as operators see it: <see cref="Revision"/> is what runs there (as reported),
/// <see cref="State"/> its state there, <see cref="DesiredRevision"/> what the hub wants (0 when being removed).
/// </summary>
public sealed record CapabilityStatus(long Revision, TargetCapabilityState State, string Message, long DesiredRevision);
