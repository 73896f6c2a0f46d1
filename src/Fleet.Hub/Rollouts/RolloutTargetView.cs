using Fleet.Domain.Rollouts;

namespace Fleet.Hub.Rollouts;

[GenerateSerializer, Immutable, Alias("Fleet.Hub.Rollouts.RolloutTargetView")]
public sealed record RolloutTargetView(
    [property: Id(0)] string Name,
    [property: Id(1)] RolloutTargetState State,
    [property: Id(2)] string Message,
    [property: Id(3)] string Action);
