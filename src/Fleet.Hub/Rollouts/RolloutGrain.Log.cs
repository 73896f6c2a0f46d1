namespace Fleet.Hub.Rollouts;

internal sealed partial class RolloutGrain
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Rollout {Rollout} of {Capability} to revision {Revision} started: {Count} targets in {Waves} wave(s)")]
    private static partial void LogStarted(ILogger logger, string rollout, string capability, long revision, int count, int waves);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rollout {Rollout}: target {Target} joined a wave that has not started yet")]
    private static partial void LogJoined(ILogger logger, string rollout, string target);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rollout {Rollout} ended {Phase} {Message}")]
    private static partial void LogFinished(ILogger logger, string rollout, string phase, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rollout {Rollout} succeeded: {Count} target(s) that joined too late for their wave now receive its revision")]
    private static partial void LogLateJoinersCaughtUp(ILogger logger, string rollout, int count);
}
