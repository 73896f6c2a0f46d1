using Fleet.Agent.Drivers;
using Fleet.Agent.Drivers.Exec;
using Fleet.Agent.Drivers.Files;
using Fleet.Agent.Hosting;
using Grpc.Core;
using Polly;
using Polly.Retry;

namespace Fleet.Agent.Runtime;

/// <summary>
/// The agent: a reconcile loop that works with or without the hub, and a connection loop that keeps one
/// stream open to some hub, failing over between the given addresses with capped, fully jittered
/// exponential backoff so that a restarted hub is not hit by every agent at the same instant.
/// </summary>
public sealed partial class AgentRuntime
{
    private readonly AgentOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AgentRuntime> _logger;
    private readonly Reconciler _reconciler;
    private readonly HubSession _session;

    public AgentRuntime(AgentOptions options, ILoggerFactory loggers, TimeProvider? time = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = loggers.CreateLogger<AgentRuntime>();
        Directory.CreateDirectory(options.StateDirectory);
        ITargetDriver driver = options.Driver switch
        {
            "files" => new FilesDriver(options.Root!, options.StateDirectory, _time, loggers.CreateLogger<FilesDriver>()),
            "exec" => new ExecDriver(options.StateDirectory, new ExecOptions(), _time, loggers.CreateLogger<ExecDriver>()),
            _ => throw new ArgumentException($"driver '{options.Driver}' is not available in this agent build", nameof(options)),
        };
        _reconciler = new Reconciler(driver, new DesiredStateStore(options.StateDirectory), options.Resync, _time, loggers.CreateLogger<Reconciler>());
        _session = new HubSession(options, _reconciler, _time, loggers.CreateLogger<HubSession>());
    }

    /// <summary>The lowest and highest pause between connection attempts.</summary>
    public static readonly TimeSpan BackoffBase = TimeSpan.FromMilliseconds(500);

    public static readonly TimeSpan BackoffCap = TimeSpan.FromSeconds(10);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _reconciler.LoadCached();
        var reconcile = _reconciler.RunAsync(cancellationToken);
        var connect = ConnectLoop(cancellationToken);
        await Task.WhenAll(reconcile, connect).ContinueWith(_ => { }, TaskScheduler.Default);
        if (!cancellationToken.IsCancellationRequested)
        {
            await Task.WhenAll(reconcile, connect);
        }
    }

    private async Task ConnectLoop(CancellationToken cancellationToken)
    {
        var attempt = 0;
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException || !cancellationToken.IsCancellationRequested),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = BackoffBase,
                MaxDelay = BackoffCap,
                MaxRetryAttempts = int.MaxValue,
                OnRetry = args =>
                {
                    LogRetry(_logger, args.RetryDelay.TotalSeconds, args.Outcome.Exception?.Message ?? "");
                    return default;
                },
            })
            .Build();

        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await pipeline.ExecuteAsync(async token =>
                {
                    var hub = _options.Hubs[attempt++ % _options.Hubs.Count];
                    try
                    {
                        await _session.RunAsync(hub, token);
                    }
                    catch (Exception) when (_session.Established && !token.IsCancellationRequested)
                    {
                        // A stream that was up and then dropped ends this pipeline, so its backoff starts
                        // over from the base delay instead of continuing from earlier failures.
                        return;
                    }
                }, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            LogStreamLost(_logger);
            // Spread reconnects after a hub restart: every agent waits a different fraction of the base delay.
            await Task.Delay(BackoffBase * Random.Shared.NextDouble(), _time, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub unreachable, retrying in {Seconds:0.0}s: {Reason}")]
    private static partial void LogRetry(ILogger logger, double seconds, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the stream to the hub; reconnecting")]
    private static partial void LogStreamLost(ILogger logger);
}
