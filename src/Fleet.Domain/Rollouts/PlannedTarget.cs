namespace Fleet.Domain.Rollouts;

/// <summary>One target in a dry run: whether the rollout would change it, and why (or why not).</summary>
public sealed record PlannedTarget(string Name, RolloutAction Action, bool Change, string Reason, long CurrentRevision, bool Connected);
