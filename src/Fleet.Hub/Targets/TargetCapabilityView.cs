using Fleet.Domain.Targets;

namespace Fleet.Hub.Targets;

/// <summary>
/// One capability on a target: <see cref="Revision"/> is what runs there (as reported), <see cref="State"/>
/// its state there; <see cref="DesiredRevision"/> what the hub wants.
/// </summary>
[GenerateSerializer, Immutable, Alias("Fleet.Hub.Targets.TargetCapabilityView")]
public sealed record TargetCapabilityView(
    [property: Id(0)] long Revision,
    [property: Id(1)] TargetCapabilityState State,
    [property: Id(2)] string Message,
    [property: Id(3)] long DesiredRevision);
