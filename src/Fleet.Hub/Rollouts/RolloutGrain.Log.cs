namespace Fleet.Hub.Rollouts;

internal sealed partial class RolloutGrain
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Rollout {Rollout} of {Capability} to revision {Revision} started: {Count} targets, maxUnavailable {MaxUnavailable}")]
    private static partial void LogStarted(ILogger logger, string rollout, string capability, long revision, int count, int maxUnavailable);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rollout {Rollout} ended {Phase} {Message}")]
    private static partial void LogFinished(ILogger logger, string rollout, string phase, string message);
}
