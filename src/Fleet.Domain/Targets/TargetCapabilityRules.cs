namespace Fleet.Domain.Targets;

/// <summary>
/// The rules of one capability on one target, apart from the grain that stores them: what operators are shown,
/// what a rollback returns the target to, and what a target's joining does.
/// </summary>
public static class TargetCapabilityRules
{
    /// <summary>
    /// The capability's status from what the hub wants (<paramref name="assignment"/>) and what the agent last
    /// reported. <paramref name="sentHash"/> is the hash of the render the target was sent, when known: a report of
    /// the right revision but an earlier render (the target's labels changed since) is not yet what it runs.
    /// </summary>
    public static CapabilityStatus Describe(Assignment? assignment, LastReport? report, string? sentHash, bool connected)
    {
        if (assignment is null || assignment.Removing)
        {
            return new CapabilityStatus(report?.Revision ?? assignment?.Revision ?? 0, TargetCapabilityState.Removing, report?.Message ?? "", 0);
        }

        var pending = connected ? TargetCapabilityState.Applying : TargetCapabilityState.Pending;
        const string NotConnected = "target not connected";
        if (report is null)
        {
            return new CapabilityStatus(assignment.Revision, TargetCapabilityState.Pending, connected ? "" : NotConnected, assignment.Revision);
        }

        var outOfDate = sentHash is not null && report.Hash.Length > 0 && report.Hash != sentHash;
        if (report.Revision == assignment.Revision && !outOfDate)
        {
            return new CapabilityStatus(report.Revision, report.State, report.Message, assignment.Revision);
        }

        var message = !connected ? NotConnected
            : report.Revision == assignment.Revision
                ? $"updating to the current render of revision {assignment.Revision} (reported {report.State} for an earlier one)"
                : $"updating to revision {assignment.Revision}";
        return new CapabilityStatus(report.Revision, pending, message, assignment.Revision);
    }

    /// <summary>
    /// What the target ran before <paramref name="rolloutId"/> touched it (0: nothing). Asked again by the same
    /// rollout (after a restart), the first answer stands, so a rollback never returns a target to the new revision.
    /// </summary>
    public static long PreviousRevision(Assignment? existing, string? rolloutId) =>
        existing is null ? 0
        : rolloutId is not null && existing.RolloutId == rolloutId ? existing.PreviousRevision
        : existing.Removing ? 0
        : existing.Revision;

    /// <summary>
    /// What joining does about one capability: <paramref name="placedByStable"/> says whether its stable revision
    /// places the target, <paramref name="rolloutRunning"/> whether a rollout of it is under way. A running rollout
    /// is offered only targets that hold nothing of it yet, and it alone takes a capability away meanwhile.
    /// </summary>
    public static JoinAction OnJoin(bool placedByStable, Assignment? assigned, bool rolloutRunning) =>
        assigned is null && rolloutRunning ? JoinAction.OfferToRollout
        : assigned is null && placedByStable ? JoinAction.PlaceStable
        : !placedByStable && assigned is { Removing: false } && !rolloutRunning ? JoinAction.Remove
        : JoinAction.None;
}
