namespace Fleet.Agent.Drivers.Exec;

internal sealed partial class ExecDriver
{
    [LoggerMessage(1, LogLevel.Information, "Ran {CapabilityKey}/{ResourceId} ({Action}): {Outcome}")]
    private partial void LogRan(string capabilityKey, string resourceId, string action, string outcome);

    [LoggerMessage(2, LogLevel.Warning, "{CapabilityKey}/{ResourceId} drifted: check {Outcome}")]
    private partial void LogDrifted(string capabilityKey, string resourceId, string outcome);

    [LoggerMessage(3, LogLevel.Warning, "{CapabilityKey}/{ResourceId} failed (attempt {Attempt}), retrying in {DelaySeconds:0.0}s: {Outcome}")]
    private partial void LogRetry(string capabilityKey, string resourceId, int attempt, double delaySeconds, string outcome);
}
