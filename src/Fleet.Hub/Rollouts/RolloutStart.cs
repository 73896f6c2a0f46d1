namespace Fleet.Hub.Rollouts;

/// <summary>
/// What a rollout is to do: move every target of <see cref="Capability"/> from <see cref="FromRevision"/>
/// to <see cref="ToRevision"/> with the capability's strategy under <see cref="StrategyOverrideJson"/>
/// (flags and a strategy file); or, when <see cref="UndoTargets"/> is set, return exactly those targets
/// to the revisions given there (an undo).
/// </summary>
[GenerateSerializer, Immutable, Alias("Fleet.Hub.Rollouts.RolloutStart")]
public sealed record RolloutStart(
    [property: Id(0)] string Capability,
    [property: Id(1)] long FromRevision,
    [property: Id(2)] long ToRevision,
    [property: Id(3)] string? StrategyOverrideJson = null,
    [property: Id(4)] List<UndoTarget>? UndoTargets = null,
    [property: Id(5)] string? UndoOf = null);
