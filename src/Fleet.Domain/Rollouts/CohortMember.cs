namespace Fleet.Domain.Rollouts;

/// <summary>A target chosen for a rollout when it starts, with the labels that decide its wave.</summary>
public sealed record CohortMember(string Name, IReadOnlyDictionary<string, string> Labels, RolloutAction Action);
