namespace Fleet.Domain.Rollouts;

public sealed record RolloutCounts(int Total, int Succeeded, int Failed, int InProgress, int Pending, int Skipped);
