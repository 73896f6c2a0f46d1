namespace Fleet.Hub.Rollouts;

/// <summary>A target an undo returns to <see cref="Revision"/> (0: the capability is removed from it).</summary>
[GenerateSerializer, Immutable, Alias("Fleet.Hub.Rollouts.UndoTarget")]
public sealed record UndoTarget([property: Id(0)] string Name, [property: Id(1)] long Revision);
