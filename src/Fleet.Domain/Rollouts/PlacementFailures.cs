using Fleet.Domain.Placement;

namespace Fleet.Domain.Rollouts;

/// <summary>
/// The targets a rollout's placement left out because the capability's <c>when</c> failed on them (a
/// missing key, a division by zero), gathered while its cohort is chosen, and what that means for the
/// rollout: without it a rollout that placed nothing reads "Succeeded 0/0" and hides the fault.
/// </summary>
/// <remarks>
/// A rollout that placed no target and left out at least one because <c>when</c> failed is Failed, not
/// Succeeded (SPEC §4: Succeeded says the revision reached the targets it is for; here the revision's own
/// expression could not say which those are, and the operator must fix it). Nothing changes on any
/// target then, not even the removal of the capability from targets that had it: an error is not a
/// decision to take a capability away. A rollout that placed some targets goes on; the left-out ones are
/// shown per target by <c>fleet describe</c> and <c>fleet rollout plan</c>.
/// </remarks>
public sealed class PlacementFailures
{
    private string? _first;

    public int Count { get; private set; }

    /// <summary>Notes <paramref name="decision"/> for <paramref name="target"/> if <c>when</c> failed there.</summary>
    public void Add(string target, PlacementDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (!decision.WhenFailed)
        {
            return;
        }

        Count++;
        _first ??= $"{target}: {decision.Reason}";
    }

    /// <summary>
    /// Marks a planned rollout Failed, with the reason as its message, when it places no target
    /// (<paramref name="placed"/> is 0) and <c>when</c> failed on some; true when it did.
    /// </summary>
    public bool FailIfNothingPlaced(RolloutRecord record, int placed)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (placed > 0 || Count == 0)
        {
            return false;
        }

        record.Phase = RolloutPhase.Failed;
        record.Targets.Clear();
        record.Message = $"no target placed: {Count} target(s) left out because `when` failed: {_first}";
        return true;
    }
}
