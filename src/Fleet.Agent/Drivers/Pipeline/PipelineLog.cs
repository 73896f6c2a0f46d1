using Microsoft.Extensions.Logging;

namespace Fleet.Agent.Drivers.Pipeline;

/// <summary>The pipeline's log lines, the same for every driver (which names itself).</summary>
internal static partial class PipelineLog
{
    [LoggerMessage(101, LogLevel.Information, "{Driver}: converged {CapabilityKey} revision {Revision}: {Changed} changed, {Pruned} pruned, {Failed} failed in {ElapsedMs:F1} ms")]
    public static partial void Converged(ILogger logger, string driver, string capabilityKey, long revision, int changed, int pruned, int failed, double elapsedMs);

    [LoggerMessage(102, LogLevel.Debug, "{Driver}: {CapabilityKey} revision {Revision} already in sync ({ElapsedMs:F1} ms)")]
    public static partial void InSync(ILogger logger, string driver, string capabilityKey, long revision, double elapsedMs);

    [LoggerMessage(103, LogLevel.Error, "Could not save the {Driver} inventory")]
    public static partial void InventorySaveFailed(ILogger logger, string driver, Exception exception);

    [LoggerMessage(104, LogLevel.Information, "{Driver}: removed everything of {CapabilityKey}")]
    public static partial void Removed(ILogger logger, string driver, string capabilityKey);
}
