namespace Fleet.Domain.Rollouts;

public sealed record PlannedWave(string Name, int MaxUnavailable, int SoakSeconds, bool Approval, IReadOnlyList<PlannedTarget> Targets);
