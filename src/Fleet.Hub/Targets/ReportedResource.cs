namespace Fleet.Hub.Targets;

[GenerateSerializer, Immutable, Alias("Fleet.Hub.Targets.ReportedResource")]
public sealed record ReportedResource(
    [property: Id(0)] string Id,
    [property: Id(1)] string Hash,
    [property: Id(2)] string State,
    [property: Id(3)] string Message);
