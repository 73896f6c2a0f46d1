namespace Fleet.Hub.Targets;

/// <summary>One target: its identity, the revisions assigned to it, what its agent reports, and the push to its stream.</summary>
[Alias("Fleet.Hub.Targets.ITargetGrain")]
public interface ITargetGrain : IGrainWithStringKey
{
    /// <summary>A stream opened: records the agent's identity and reports, attaches the observer, returns the desired set.</summary>
    [Alias("Connect")]
    Task<VersionedDesiredSet> Connect(Guid session, AgentHello hello, IAgentObserver observer);

    /// <summary>
    /// Re-attaches the stream <paramref name="session"/> after this grain lost it (a node of the hub
    /// died or the grain moved): a new activation knows no stream until one attaches.
    /// </summary>
    [Alias("Attach")]
    Task<AttachOutcome> Attach(Guid session, IAgentObserver observer);

    /// <summary>The target was revoked: its stream, on whichever node holds it, is ended with <paramref name="reason"/>.</summary>
    [Alias("CutOff")]
    Task CutOff(string reason);

    [Alias("Disconnect")]
    Task Disconnect(Guid session);

    /// <summary>False when <paramref name="session"/> is not the grain's stream: the stream re-attaches, or ends if another took over.</summary>
    [Alias("Heartbeat")]
    Task<bool> Heartbeat(Guid session);

    /// <summary>False when <paramref name="session"/> is not the grain's stream (then nothing was recorded): the stream re-attaches and reports again.</summary>
    [Alias("Report")]
    Task<bool> Report(Guid session, ReportedCapability report);

    /// <summary>Gives the target <paramref name="revision"/> of <paramref name="capability"/> on behalf of a rollout. Idempotent.</summary>
    [Alias("Assign")]
    Task<AssignOutcome> Assign(string capability, long revision, string? rolloutId, bool skipIfOffline = false);

    /// <summary>Takes <paramref name="capability"/> off the target on behalf of a rollout (or a delete). Idempotent.</summary>
    [Alias("Unassign")]
    Task<AssignOutcome> Unassign(string capability, string? rolloutId, bool skipIfOffline = false);

    /// <summary>
    /// What the target is and runs. It only reads, so it interleaves with a call that awaits (a render off the grain's
    /// turn): <c>fleet get targets</c> answers while one of them renders a heavy capability.
    /// </summary>
    [Alias("Get"), AlwaysInterleave]
    Task<TargetView?> Get();

    /// <summary>What the target's desired set takes on the wire now, per delivery key, so <c>fleet apply</c> can refuse what would not fit.</summary>
    [Alias("DesiredSetSizes")]
    Task<DesiredSetSizes> DesiredSetSizes();

    /// <summary>What the agent last reported for each resource under <paramref name="key"/> (observed objects only where rendering reads them).</summary>
    [Alias("ReportedResources"), AlwaysInterleave]
    Task<List<ReportedResource>> ReportedResources(string key);
}
