namespace Fleet.Hub.Rollouts;

[GenerateSerializer, Immutable, Alias("Fleet.Hub.Rollouts.RolloutWaveView")]
public sealed record RolloutWaveView(
    [property: Id(0)] string Name,
    [property: Id(1)] string Phase,
    [property: Id(2)] List<RolloutTargetView> Targets);
