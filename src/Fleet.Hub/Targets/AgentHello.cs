namespace Fleet.Hub.Targets;

/// <summary>What an agent says about itself when its stream opens (validated by the gRPC service).</summary>
[GenerateSerializer, Immutable, Alias("Fleet.Hub.Targets.AgentHello")]
public sealed record AgentHello(
    [property: Id(0)] Dictionary<string, string> Labels,
    [property: Id(1)] Dictionary<string, string> Facts,
    [property: Id(2)] string Driver,
    [property: Id(3)] List<ReportedCapability> Current);
