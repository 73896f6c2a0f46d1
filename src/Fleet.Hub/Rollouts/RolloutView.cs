using Fleet.Domain.Rollouts;

namespace Fleet.Hub.Rollouts;

/// <summary>A rollout as operators see it (SPEC §5 Rollout).</summary>
[GenerateSerializer, Immutable, Alias("Fleet.Hub.Rollouts.RolloutView")]
public sealed record RolloutView
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public string Capability { get; init; } = "";
    [Id(2)] public long FromRevision { get; init; }
    [Id(3)] public long ToRevision { get; init; }
    [Id(4)] public RolloutPhase Phase { get; init; }
    [Id(5)] public string Message { get; init; } = "";
    [Id(6)] public int Total { get; init; }
    [Id(7)] public int Succeeded { get; init; }
    [Id(8)] public int Failed { get; init; }
    [Id(9)] public int InProgress { get; init; }
    [Id(10)] public int Pending { get; init; }
    [Id(11)] public int Skipped { get; init; }
    [Id(12)] public List<RolloutWaveView> Waves { get; init; } = [];
    [Id(13)] public DateTimeOffset Created { get; init; }
    [Id(14)] public int MaxUnavailable { get; init; }

    /// <summary>What the rollout waits for now, if anything: approval, the window, soak, targets.</summary>
    [Id(15)] public string Gate { get; init; } = "";

    /// <summary>Estimated completion from the pace so far (null until something finished, or when not running).</summary>
    [Id(16)] public DateTimeOffset? Eta { get; init; }

    [Id(17)] public bool RollingBack { get; init; }
    [Id(18)] public string? UndoOf { get; init; }
    [Id(19)] public DateTimeOffset Updated { get; init; }

    public bool IsTerminal => Phase.IsTerminal();
}
