namespace Fleet.Domain.Targets;

/// <summary>What the target's agent last reported for one capability: the revision and render (hash) it runs, and how.</summary>
public sealed record LastReport(long Revision, TargetCapabilityState State, string Message, string Hash);
