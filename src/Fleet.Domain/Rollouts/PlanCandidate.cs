using Fleet.Domain.Placement;

namespace Fleet.Domain.Rollouts;

/// <summary>A known target as a dry run sees it: placed or not, what it runs now, whether it is connected.</summary>
public sealed record PlanCandidate(
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    PlacementDecision Placement,
    long CurrentRevision,
    bool Connected);
