using Fleet.Domain.Rollouts;

namespace Fleet.Hub.Rollouts;

[GenerateSerializer, Immutable, Alias("Fleet.Hub.Rollouts.RolloutWaveView")]
public sealed record RolloutWaveView(
    [property: Id(0)] string Name,
    [property: Id(1)] RolloutPhase Phase,
    [property: Id(2)] List<RolloutTargetView> Targets,
    [property: Id(3)] int MaxUnavailable = 0,
    [property: Id(4)] int SoakSeconds = 0,
    [property: Id(5)] bool Approval = false);
