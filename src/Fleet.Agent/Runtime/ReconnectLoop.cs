using Polly;
using Polly.Retry;

namespace Fleet.Agent.Runtime;

/// <summary>
/// Keeps one stream open to some hub: tries the addresses in turn, pausing per <see cref="ReconnectBackoff"/> between
/// failed attempts, and starts the backoff over once a stream that was up drops (after a short jittered pause, so a
/// hub restart does not bring every agent back at once). Ends only when cancelled.
/// </summary>
internal sealed partial class ReconnectLoop(
    IReadOnlyList<Uri> hubs,
    Func<Uri, CancellationToken, Task> connect,
    Func<bool> established,
    TimeProvider time,
    Random random,
    ILogger logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var next = 0;
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException || !cancellationToken.IsCancellationRequested),
                MaxRetryAttempts = int.MaxValue,
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(ReconnectBackoff.Delay(args.AttemptNumber, hubs.Count, random)),
                OnRetry = args =>
                {
                    LogRetry(logger, args.RetryDelay.TotalSeconds, hubs[next % hubs.Count].ToString(), args.Outcome.Exception?.Message ?? "");
                    return default;
                },
            })
            .Build();

        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await pipeline.ExecuteAsync(
                    async token =>
                    {
                        var hub = hubs[next++ % hubs.Count];
                        try
                        {
                            await connect(hub, token);
                        }
                        catch (Exception) when (established() && !token.IsCancellationRequested)
                        {
                            // A stream that was up and then dropped ends this pipeline, so its backoff starts over
                            // from the base delay instead of continuing from earlier failures.
                        }
                    },
                    cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            LogStreamLost(logger);
            await Task.Delay(ReconnectBackoff.Delay(0, 1, random), time, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub unreachable, next attempt in {Seconds:0.0}s ({Hub}): {Reason}")]
    private static partial void LogRetry(ILogger logger, double seconds, string hub, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the stream to the hub; reconnecting")]
    private static partial void LogStreamLost(ILogger logger);
}
