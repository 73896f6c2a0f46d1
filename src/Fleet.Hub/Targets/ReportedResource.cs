using Fleet.Domain.Targets;

namespace Fleet.Hub.Targets;

[GenerateSerializer, Immutable, Alias("Fleet.Hub.Targets.ReportedResource")]
public sealed record ReportedResource(
    [property: Id(0)] string Id,
    [property: Id(1)] string Hash,
    [property: Id(2)] TargetCapabilityState State,
    [property: Id(3)] string Message)
{
    /// <summary>
    /// The object as the agent observes it (JSON), what <c>${resources.&lt;id&gt;...}</c> reads. The target keeps it only for
    /// resources that others of the same capability read, so stored state stays small.
    /// </summary>
    [Id(4)] public string? ObservedJson { get; init; }
}
