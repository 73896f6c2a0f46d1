namespace Fleet.Domain.Rollouts;

/// <summary>The result of <c>fleet rollout plan</c>: the waves with their targets, and the targets left out.</summary>
public sealed record RolloutPlanPreview(IReadOnlyList<PlannedWave> Waves, IReadOnlyList<PlannedTarget> Excluded);
