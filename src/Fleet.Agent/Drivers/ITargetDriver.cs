using Fleet.Protocol.Agent.V1;

namespace Fleet.Agent.Drivers;

/// <summary>One way a target applies resources: files, exec or kubernetes.</summary>
internal interface ITargetDriver
{
    /// <summary>The driver's name as the agent announces it to the hub, e.g. <c>files</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Converge one capability on the target to <paramref name="desired"/>: apply every resource in dependency order
    /// (see <see cref="Dependencies.ResourceGraph"/>), each only once what it <c>depends_on</c> is Ready (else Pending
    /// while that is on its way, Failed when it failed), then prune what this capability owned before and no longer
    /// wants, dependents first. A resource the hub sent <c>awaiting</c> (no kind yet) is held like one waiting for a
    /// dependency: Pending with the awaiting text, nothing applied for it and nothing it applied before removed, and its
    /// dependents wait for it. Unknown ids or a cycle in <c>depends_on</c> fail the capability with nothing applied.
    /// Never throws for resource problems: they become Failed resource reports, and each resource that was applied
    /// carries its observed state. Returns the report (key, revision, hash copied from desired; state Ready when every
    /// resource is Ready, Applying while some are applied but not ready or wait for one, else Failed with a message
    /// naming the failing resource(s)).
    /// </summary>
    Task<CapabilityReport> ConvergeAsync(DesiredCapability desired, CancellationToken cancellationToken);

    /// <summary>
    /// Remove everything this capability owns on the target, dependents before what they depend on (what a dependent
    /// that could not be removed depends on stays too). The report has <c>removed=true</c> when done.
    /// </summary>
    Task<CapabilityReport> RemoveAsync(string capabilityKey, CancellationToken cancellationToken);

    /// <summary>Capability keys the driver currently owns anything for (from its persisted inventory).</summary>
    IReadOnlyCollection<string> OwnedCapabilities { get; }

    /// <summary>
    /// Compares what is on the target with what this driver last applied for <paramref name="desired"/>, without
    /// changing anything. Returns a report in state Drifted whose drifted resources say what differs, or null when
    /// nothing drifted (or nothing was applied yet). The converge that follows corrects it.
    /// </summary>
    Task<CapabilityReport?> DetectDriftAsync(DesiredCapability desired, CancellationToken cancellationToken);
}
