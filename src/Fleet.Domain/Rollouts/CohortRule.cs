namespace Fleet.Domain.Rollouts;

/// <summary>
/// Which targets a rollout takes, and what it does to each: the one rule both a real start (the rollout grain)
/// and a dry run (<see cref="RolloutPlanner"/>) apply, so a plan shows exactly the cohort a start would fix.
/// </summary>
public static class CohortRule
{
    /// <summary>
    /// A target the new revision places receives it; one that runs the capability but is no longer placed has it
    /// removed; any other target is not in the rollout (null).
    /// </summary>
    public static CohortMember? MemberFor(string name, IReadOnlyDictionary<string, string> labels, bool placed, bool runsCapability) =>
        placed ? new CohortMember(name, labels, RolloutAction.Update)
        : runsCapability ? new CohortMember(name, labels, RolloutAction.Remove)
        : null;
}
