using Fleet.Agent.Drivers;
using Fleet.Agent.Drivers.Exec;
using Fleet.Agent.Drivers.Files;
using Fleet.Agent.Drivers.Kubernetes;
using Fleet.Agent.Hosting;

namespace Fleet.Agent.Runtime;

/// <summary>
/// The agent: a reconcile loop that works with or without the hub, and a connection loop that keeps one
/// stream open to some hub, failing over between the given addresses with capped, fully jittered
/// exponential backoff so that a restarted hub is not hit by every agent at the same instant.
/// </summary>
public sealed class AgentRuntime
{
    private readonly AgentOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AgentRuntime> _logger;
    private readonly Reconciler _reconciler;
    private readonly HubSession _session;
    private readonly Enrollment.AgentCredentials? _credentials;

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
            "kubernetes" => new KubernetesDriver(
                new KubernetesApi(KubernetesConnection.Configure(options.Kubeconfig, options.KubeContext)),
                options.StateDirectory,
                new KubernetesDriverOptions { ForceConflicts = options.ForceConflicts },
                Domain.Rendering.TemplateEnvironment.Engine,
                loggers.CreateLogger<KubernetesDriver>()),
            _ => throw new ArgumentException($"driver '{options.Driver}' is not available in this agent build", nameof(options)),
        };
        _reconciler = new Reconciler(driver, new DesiredStateStore(options.StateDirectory), new ReportOutbox(options.StateDirectory), options.Resync, _time, loggers.CreateLogger<Reconciler>());
        // A secure hub: enroll once, then present the issued client certificate (plaintext hubs need none).
        _credentials = options.Insecure ? null : new Enrollment.AgentCredentials(options, _time, loggers.CreateLogger<Enrollment.AgentCredentials>());
        _session = new HubSession(options, _reconciler, _time, loggers.CreateLogger<HubSession>(), _credentials);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (_credentials is not null)
        {
            await _credentials.EnsureEnrolledAsync(cancellationToken);
        }

        _reconciler.LoadCached();
        var reconcile = _reconciler.RunAsync(cancellationToken);
        var connect = ConnectLoop(cancellationToken);
        var renew = _credentials?.RenewLoopAsync(cancellationToken) ?? Task.CompletedTask;
        await Task.WhenAll(reconcile, connect, renew).ContinueWith(_ => { }, TaskScheduler.Default);
        if (!cancellationToken.IsCancellationRequested)
        {
            await Task.WhenAll(reconcile, connect, renew);
        }
    }

    private Task ConnectLoop(CancellationToken cancellationToken) =>
        new ReconnectLoop(_options.Hubs, _session.RunAsync, () => _session.Established, _time, Random.Shared, _logger).RunAsync(cancellationToken);
}
