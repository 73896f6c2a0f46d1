using Fleet.Domain.Targets;

namespace Fleet.Hub.Targets;

/// <summary>What an agent reported for one capability on its target. Also stored as the target's observed state.</summary>
[GenerateSerializer, Immutable, Alias("Fleet.Hub.Targets.ReportedCapability")]
public sealed record ReportedCapability
{
    [Id(0)] public required string Key { get; init; }
    [Id(1)] public long Revision { get; init; }
    [Id(2)] public string Hash { get; init; } = "";
    [Id(3)] public TargetCapabilityState State { get; init; }
    [Id(4)] public string Message { get; init; } = "";
    [Id(5)] public List<ReportedResource> Resources { get; init; } = [];
    [Id(6)] public bool Removed { get; init; }
    [Id(7)] public DateTimeOffset At { get; init; }

    /// <summary>As the domain's rules take it.</summary>
    public LastReport Snapshot() => new(Revision, State, Message, Hash);
}
