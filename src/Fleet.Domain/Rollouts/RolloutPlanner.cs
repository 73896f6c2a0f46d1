using Fleet.Domain.Model;

namespace Fleet.Domain.Rollouts;

/// <summary>
/// The dry run of a rollout: the same cohort and wave assignment a real start would make
/// (<see cref="RolloutProgress.Plan"/>), annotated with what would change on each target and why not.
/// </summary>
public static class RolloutPlanner
{
    public static RolloutPlanPreview Preview(ResolvedRolloutStrategy strategy, IEnumerable<PlanCandidate> candidates, long toRevision)
    {
        var byName = new Dictionary<string, PlanCandidate>(StringComparer.Ordinal);
        var members = new List<CohortMember>();
        var excluded = new List<PlannedTarget>();
        foreach (var candidate in candidates.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            byName[candidate.Name] = candidate;
            if (CohortRule.MemberFor(candidate.Name, candidate.Labels, candidate.Placement.Placed, runsCapability: candidate.CurrentRevision > 0) is { } member)
            {
                members.Add(member);
            }
            else
            {
                excluded.Add(new PlannedTarget(candidate.Name, RolloutAction.Update, false, $"not placed: {candidate.Placement.Reason}", 0, candidate.Connected));
            }
        }

        var record = RolloutProgress.Plan(strategy, members, toRevision);
        var waves = record.Waves.Select((wave, index) => new PlannedWave(
            wave.Name,
            wave.MaxUnavailable,
            wave.SoakSeconds,
            wave.Approval,
            record.Targets.Where(t => t.Wave == index).Select(t => Describe(strategy, t, byName[t.Name], toRevision)).ToList())).ToList();
        excluded.AddRange(record.Targets.Where(t => t.Wave < 0).Select(t =>
            new PlannedTarget(t.Name, t.Action, false, "no wave selects this target", byName[t.Name].CurrentRevision, byName[t.Name].Connected)));
        return new RolloutPlanPreview(waves, excluded);
    }

    private static PlannedTarget Describe(ResolvedRolloutStrategy strategy, RolloutTargetEntry entry, PlanCandidate candidate, long toRevision)
    {
        var current = candidate.CurrentRevision;
        if (entry.Action == RolloutAction.Remove)
        {
            return new PlannedTarget(entry.Name, RolloutAction.Remove, true, $"no longer placed ({candidate.Placement.Reason}): revision {current} is removed", current, candidate.Connected);
        }

        if (current == toRevision)
        {
            return new PlannedTarget(entry.Name, RolloutAction.Update, false, $"already at revision {toRevision}", current, candidate.Connected);
        }

        var change = current == 0 ? $"receives revision {toRevision}" : $"revision {current} → {toRevision}";
        var reason = candidate.Connected
            ? change
            : strategy.OfflineTargets == OfflineTargets.Skip
                ? $"offline: skipped by this rollout (offlineTargets: skip); {change} later"
                : $"offline: the rollout waits for it (offlineTargets: wait); {change}";
        return new PlannedTarget(entry.Name, RolloutAction.Update, candidate.Connected || strategy.OfflineTargets == OfflineTargets.Wait, reason, current, candidate.Connected);
    }
}
