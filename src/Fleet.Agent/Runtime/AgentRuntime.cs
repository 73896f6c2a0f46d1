using Fleet.Agent.Drivers;
using Fleet.Agent.Hosting;

namespace Fleet.Agent.Runtime;

/// <summary>
/// The agent: a reconcile loop that works with or without the hub, and a connection loop that keeps one
/// stream open to some hub, failing over between the given addresses with capped, fully jittered
/// exponential backoff so that a restarted hub is not hit by every agent at the same instant. If any of its loops
/// ends with an exception the others are stopped too and <see cref="RunAsync"/> throws <see cref="AgentLoopException"/>:
/// an agent that no longer reconciles must not keep heartbeating, or the hub would believe it healthy.
/// </summary>
public sealed partial class AgentRuntime
{
    private readonly AgentOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AgentRuntime> _logger;
    private readonly Reconciler _reconciler;
    private readonly HubSession _session;
    private readonly Enrollment.AgentCredentials? _credentials;

    public AgentRuntime(AgentOptions options, ILoggerFactory loggers, TimeProvider? time = null)
        : this(options, driver: null, loggers, time)
    {
    }

    /// <summary>The agent with <paramref name="driver"/> instead of the one <c>--driver</c> names (tests inject theirs).</summary>
    internal AgentRuntime(AgentOptions options, ITargetDriver? driver, ILoggerFactory loggers, TimeProvider? time = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = loggers.CreateLogger<AgentRuntime>();
        if (!OwnerOnlyDirectory.Ensure(options.StateDirectory))
        {
            LogStateDirectoryShared(_logger, options.StateDirectory);
        }

        driver ??= TargetDrivers.Create(options, _time, loggers);
        _reconciler = new Reconciler(driver, new DesiredStateStore(options.StateDirectory), new ReportOutbox(options.StateDirectory), options.Resync, _time, loggers.CreateLogger<Reconciler>());
        // A secure hub: enroll once, then present the issued client certificate (plaintext hubs need none).
        _credentials = options.Insecure ? null : new Enrollment.AgentCredentials(options, _time, loggers.CreateLogger<Enrollment.AgentCredentials>());
        _session = new HubSession(options, _reconciler, _time, loggers.CreateLogger<HubSession>(), _credentials);
    }

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled (then returns), or until one of the loops ends with
    /// an exception: then the others are cancelled, awaited, and this throws <see cref="AgentLoopException"/>.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (_credentials is not null)
        {
            await _credentials.EnsureEnrolledAsync(cancellationToken);
        }

        _reconciler.LoadCached();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        List<(string Name, Task Task)> loops =
        [
            ("reconcile", _reconciler.RunAsync(stop.Token)),
            ("hub connection", ConnectLoop(stop.Token)),
        ];
        if (_credentials is not null)
        {
            loops.Add(("certificate renewal", _credentials.RenewLoopAsync(stop.Token)));
        }

        AgentLoopException? failure = null;
        var running = loops.ToList();
        while (running.Count > 0)
        {
            var ended = await Task.WhenAny(running.Select(l => l.Task));
            var (name, task) = running.First(l => l.Task == ended);
            running.RemoveAll(l => l.Task == ended);
            // A loop cancelled without anyone asking it to stop ended as abnormally as one that threw.
            var abnormal = task.IsFaulted || (task.IsCanceled && !stop.IsCancellationRequested);
            if (failure is null && abnormal && !cancellationToken.IsCancellationRequested)
            {
                failure = new AgentLoopException(name, task.Exception?.GetBaseException() ?? new OperationCanceledException("cancelled unexpectedly"));
                await stop.CancelAsync();
            }
        }

        if (failure is not null)
        {
            throw failure;
        }
    }

    private Task ConnectLoop(CancellationToken cancellationToken) =>
        new ReconnectLoop(_options.Hubs, _session.RunAsync, () => _session.Established, _time, Random.Shared, _logger).RunAsync(cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The state directory {Directory} belongs to another user: the agent cannot make it 0700 (its files are 0600 nonetheless)")]
    private static partial void LogStateDirectoryShared(ILogger logger, string directory);
}
