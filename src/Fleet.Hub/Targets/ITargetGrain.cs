namespace Fleet.Hub.Targets;

/// <summary>One target: its identity, the revisions assigned to it, what its agent reports, and the push to its stream.</summary>
[Alias("Fleet.Hub.Targets.ITargetGrain")]
public interface ITargetGrain : IGrainWithStringKey
{
    /// <summary>A stream opened: records the agent's identity and reports, attaches the observer, returns the desired set.</summary>
    [Alias("Connect")]
    Task<byte[]> Connect(Guid session, AgentHello hello, IAgentObserver observer);

    [Alias("Disconnect")]
    Task Disconnect(Guid session);

    [Alias("Heartbeat")]
    Task<bool> Heartbeat(Guid session);

    [Alias("Report")]
    Task Report(Guid session, ReportedCapability report);

    /// <summary>Gives the target <paramref name="revision"/> of <paramref name="capability"/> on behalf of a rollout. Idempotent.</summary>
    [Alias("Assign")]
    Task<AssignOutcome> Assign(string capability, long revision, string? rolloutId, bool skipIfOffline = false);

    /// <summary>Takes <paramref name="capability"/> off the target on behalf of a rollout (or a delete). Idempotent.</summary>
    [Alias("Unassign")]
    Task<AssignOutcome> Unassign(string capability, string? rolloutId, bool skipIfOffline = false);

    [Alias("Get")]
    Task<TargetView?> Get();

    /// <summary>What the agent last reported for each resource under <paramref name="key"/> (observed objects only where rendering reads them).</summary>
    [Alias("ReportedResources"), AlwaysInterleave]
    Task<List<ReportedResource>> ReportedResources(string key);
}
