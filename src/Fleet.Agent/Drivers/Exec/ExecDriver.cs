using System.Globalization;
using System.Text.Json.Nodes;
using Fleet.Agent.Drivers.Dependencies;
using Fleet.Protocol.Agent.V1;
using Polly;
using Polly.Retry;

namespace Fleet.Agent.Drivers.Exec;

/// <summary>
/// Applies <c>exec</c> resources: imperative actions on targets that have no declarative API (a mainframe job
/// submitter, a ticketing call, a vendor CLI). A command runs once for the resource as rendered and again only to
/// retry a failure, when a new revision changes it, or when its <c>check</c> says its effect is gone; <c>delete</c>
/// runs when the resource is removed. What ran is kept in an inventory in the state directory, so a restart does
/// not repeat work. Resources run in dependency order, each only once what it depends on succeeded, and their
/// deletes run the other way round, dependents first.
/// </summary>
internal sealed partial class ExecDriver : ITargetDriver
{
    private readonly ExecInventory _inventory;
    private readonly ProcessRunner _runner;
    private readonly TimeProvider _time;
    private readonly ILogger<ExecDriver> _logger;
    private readonly ResiliencePipeline<ProcessResult> _retry;

    // Resources whose check failed in the last drift detection: the next converge runs their command again.
    private readonly HashSet<(string Key, string Id)> _drifted = [];

    public ExecDriver(string stateDirectory, ExecOptions options, TimeProvider time, ILogger<ExecDriver> logger)
    {
        _inventory = ExecInventory.Load(stateDirectory);
        var work = Path.Combine(stateDirectory, "exec-work");
        Directory.CreateDirectory(work);
        _runner = new ProcessRunner(time, work);
        _time = time;
        _logger = logger;
        // Polly refuses a retry strategy of no retries; no retries is simply no strategy.
        _retry = options.Retries <= 0 ? ResiliencePipeline<ProcessResult>.Empty : new ResiliencePipelineBuilder<ProcessResult> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<ProcessResult>
            {
                // A timeout is not retried: a command that hangs would hang again, holding the loop each time.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { Succeeded: false, TimedOut: false }),
                MaxRetryAttempts = options.Retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                MaxDelay = options.MaxRetryDelay,
                OnRetry = args =>
                {
                    var (key, id) = args.Context.Properties.GetValue(ResourceKey, ("", ""));
                    LogRetry(key, id, args.AttemptNumber + 1, args.RetryDelay.TotalSeconds, args.Outcome.Result?.Describe(TimeSpan.Zero) ?? "");
                    return default;
                },
            })
            .Build();
    }

    private static readonly ResiliencePropertyKey<(string Key, string Id)> ResourceKey = new("fleet.resource");

    public string Name => "exec";

    public IReadOnlyCollection<string> OwnedCapabilities => [.. _inventory.Keys];

    public async Task<CapabilityReport> ConvergeAsync(DesiredCapability desired, CancellationToken cancellationToken)
    {
        if (desired.Error.Length > 0)
        {
            return CapabilityOutcome.NotApplied(desired, desired.Error);
        }

        var graph = ResourceGraph.Build(desired);
        if (graph.Error is { } graphError)
        {
            return CapabilityOutcome.NotApplied(desired, graphError);
        }

        var report = new CapabilityReport { Key = desired.Key, Revision = desired.Revision, Hash = desired.Hash };
        var record = _inventory.GetOrAdd(desired.Key);
        var failures = new List<string>();
        var waiting = new List<string>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var gate = new ReadinessGate();
        foreach (var resource in graph.Order)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ResourceReport outcome;
            if (resource.Id.Length == 0)
            {
                outcome = Resource(resource.Id, resource.Hash, ResourceState.Failed, "resource has no id");
            }
            else if (resource.Awaiting.Length == 0 && KindRefusal.Check(resource, Protocol.Agent.V1.Resource.KindOneofCase.Exec, Name) is { } refusal)
            {
                // Not in ids: nothing of this revision runs under the id, so what ran before under it is deleted.
                outcome = Resource(resource.Id, resource.Hash, ResourceState.Failed, refusal);
            }
            else if (!ids.Add(resource.Id))
            {
                outcome = Resource(resource.Id, resource.Hash, ResourceState.Failed, "duplicate resource id in this capability");
            }
            else
            {
                // A held resource stays in ids: what it ran before is kept (its delete not run) while it waits for a
                // dependency or, with no command to run yet, for the hub to render it.
                outcome = gate.Hold(resource) ?? await ApplyAsync(desired, record, resource, cancellationToken);
            }

            gate.Record(outcome);
            report.Resources.Add(outcome);
        }

        await PruneAsync(desired.Key, record, ids, failures, waiting, cancellationToken);
        record.Resources = RemovalOrder.LikeGraph(record.Resources, r => r.Id, graph);
        record.Revision = desired.Revision;
        record.Hash = desired.Hash;
        if (TrySave() is { } saveError)
        {
            failures.Add(saveError);
        }

        return CapabilityOutcome.Finish(report, desired, failures, waiting);
    }

    public async Task<CapabilityReport?> DetectDriftAsync(DesiredCapability desired, CancellationToken cancellationToken)
    {
        if (desired.Error.Length > 0 || _inventory.Find(desired.Key) is not { } record)
        {
            return null;
        }

        var drifted = new List<ResourceReport>();
        foreach (var resource in desired.Resources.Where(r => r.KindCase == Protocol.Agent.V1.Resource.KindOneofCase.Exec && r.Exec.Check.Count > 0))
        {
            var ran = record.Resources.Find(r => r.Id == resource.Id);
            if (ran is not { Succeeded: true } || ran.Hash != resource.Hash)
            {
                // Not yet applied as desired: the converge runs it anyway.
                continue;
            }

            var result = await RunAsync(desired, resource.Exec, resource.Exec.Check, "check", resource.Id, cancellationToken);
            if (!result.Succeeded)
            {
                var message = $"check {result.Describe(Timeout(resource.Exec))}";
                LogDrifted(desired.Key, resource.Id, message);
                _drifted.Add((desired.Key, resource.Id));
                drifted.Add(Resource(resource.Id, resource.Hash, ResourceState.Drifted, message));
            }
        }

        return DriftReport.For(desired, drifted);
    }

    public async Task<CapabilityReport> RemoveAsync(string capabilityKey, CancellationToken cancellationToken)
    {
        var report = new CapabilityReport { Key = capabilityKey };
        if (_inventory.Find(capabilityKey) is not { } record)
        {
            report.Removed = true;
            return CapabilityOutcome.Finish(report);
        }

        report.Revision = record.Revision;
        report.Hash = record.Hash;
        var failures = new List<string>();
        var waiting = new List<string>();
        await PruneAsync(capabilityKey, record, [], failures, waiting, cancellationToken);
        if (record.Resources.Count == 0)
        {
            _inventory.Remove(capabilityKey);
        }

        if (TrySave() is { } saveError)
        {
            failures.Add(saveError);
        }

        report.Removed = failures.Count == 0 && record.Resources.Count == 0;
        return CapabilityOutcome.Finish(report, otherFailures: failures, otherWaiting: waiting);
    }

    private async Task<ResourceReport> ApplyAsync(DesiredCapability desired, ExecCapabilityRecord record, Resource resource, CancellationToken cancellationToken)
    {
        var exec = resource.Exec;
        if (exec.Command.Count == 0 || exec.Command[0].Length == 0)
        {
            return Resource(resource.Id, resource.Hash, ResourceState.Failed, "command is empty");
        }

        var ran = record.Resources.Find(r => r.Id == resource.Id);
        var drifted = _drifted.Remove((desired.Key, resource.Id));
        if (ran is { Succeeded: true } && ran.Hash == resource.Hash && !drifted)
        {
            // Its dependencies are what this revision says even if its command is unchanged: removal goes by them.
            ran.DependsOn = [.. resource.DependsOn];
            return Observed(Resource(resource.Id, resource.Hash, ResourceState.Ready, ran.Message), ran);
        }

        if (ran is null)
        {
            ran = new ExecResourceRecord { Id = resource.Id };
            record.Resources.Add(ran);
        }

        // Recorded as not succeeded before it starts: should the agent die mid-run, the command runs again.
        ran.Hash = resource.Hash;
        ran.Succeeded = false;
        ran.Revision = desired.Revision;
        ran.Delete = exec.Delete.Count > 0 ? [.. exec.Delete] : null;
        ran.Env = new Dictionary<string, string>(exec.Env, StringComparer.Ordinal);
        ran.TimeoutSeconds = exec.TimeoutSeconds;
        ran.DependsOn = [.. resource.DependsOn];
        if (TrySave() is { } saveError)
        {
            return Resource(resource.Id, resource.Hash, ResourceState.Failed, saveError);
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(ResourceKey, (desired.Key, resource.Id));
        ProcessResult result;
        try
        {
            result = await _retry.ExecuteAsync(
                static async (ctx, state) => await state.Driver.RunAsync(state.Desired, state.Exec, state.Exec.Command, "apply", state.Id, ctx.CancellationToken),
                context,
                (Driver: this, Desired: desired, Exec: exec, Id: resource.Id));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        ran.Succeeded = result.Succeeded;
        ran.RanAt = _time.GetUtcNow();
        ran.Message = result.Describe(Timeout(exec));
        ran.ExitCode = result.ExitCode;
        ran.StdoutTail = result.Stdout;
        ran.StderrTail = result.Stderr;
        LogRan(desired.Key, resource.Id, "apply", ran.Message);
        return Observed(Resource(resource.Id, resource.Hash, result.Succeeded ? ResourceState.Ready : ResourceState.Failed, ran.Message), ran);
    }

    /// <summary>
    /// What a run left to observe: the exit code, each output's tail and when it ran. Never the env, which is where
    /// secrets are (the tails have them masked).
    /// </summary>
    private static ResourceReport Observed(ResourceReport report, ExecResourceRecord ran) => ObservedState.Attach(report, new JsonObject
    {
        // An inventory from before exit codes were kept knows only that the command succeeded.
        ["exitCode"] = ran.ExitCode ?? (ran.Succeeded ? 0 : null),
        ["stdoutTail"] = ran.StdoutTail,
        ["stderrTail"] = ran.StderrTail,
        ["ranAt"] = ran.RanAt,
    });

    /// <summary>
    /// Runs the <c>delete</c> of every recorded resource not in <paramref name="keep"/>, dependents first, and forgets
    /// it. A resource something still on the target depends on waits (<paramref name="waiting"/>) until that is gone.
    /// </summary>
    private async Task PruneAsync(string key, ExecCapabilityRecord record, HashSet<string> keep, List<string> failures, List<string> waiting, CancellationToken cancellationToken)
    {
        // Walking backwards takes dependents first; going round again removes what a dependent removed later in the
        // same walk was still holding (a record ordered by a newer revision than the dependencies it still runs by).
        var attempted = new HashSet<ExecResourceRecord>();
        for (var removed = true; removed;)
        {
            removed = false;
            for (var i = record.Resources.Count - 1; i >= 0; i--)
            {
                var ran = record.Resources[i];
                if (keep.Contains(ran.Id) || attempted.Contains(ran) || Dependent(record, ran) is not null)
                {
                    continue;
                }

                attempted.Add(ran);
                if (ran.Delete is { Count: > 0 } delete)
                {
                    var exec = new ExecResource { TimeoutSeconds = ran.TimeoutSeconds };
                    exec.Env.Add(ran.Env);
                    var result = await RunAsync(new DesiredCapability { Key = key, Revision = ran.Revision }, exec, delete, "delete", ran.Id, cancellationToken);
                    LogRan(key, ran.Id, "delete", result.Describe(Timeout(exec)));
                    if (!result.Succeeded)
                    {
                        // Kept, so the next pass runs the delete again; the hub must not forget what is still there.
                        failures.Add($"{ran.Id}: delete {result.Describe(Timeout(exec))}");
                        continue;
                    }
                }

                record.Resources.RemoveAt(i);
                removed = true;
            }
        }

        foreach (var held in record.Resources.Where(r => !keep.Contains(r.Id) && !attempted.Contains(r)))
        {
            waiting.Add($"{held.Id}: not removed yet: {Dependent(record, held)} depends on it and is still there");
        }
    }

    private static string? Dependent(ExecCapabilityRecord record, ExecResourceRecord ran) =>
        RemovalOrder.Dependent(ran.Id, record.Resources.Select(r => (r.Id, (IEnumerable<string>)r.DependsOn)));

    private async Task<ProcessResult> RunAsync(DesiredCapability desired, ExecResource exec, IReadOnlyList<string> argv, string action, string id, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>(exec.Env, StringComparer.Ordinal)
        {
            // What a wrapper script needs to be idempotent: which resource of which revision, and why it runs.
            ["FLEET_CAPABILITY"] = desired.Key,
            ["FLEET_REVISION"] = desired.Revision.ToString(CultureInfo.InvariantCulture),
            ["FLEET_RESOURCE"] = id,
            ["FLEET_ACTION"] = action,
        };
        var result = await _runner.RunAsync(argv, exec.HasStdin && action == "apply" ? exec.Stdin : null, environment, Timeout(exec), cancellationToken);
        return result.Masked(SecretMask.Values(exec.Env.Values));
    }

    private static TimeSpan Timeout(ExecResource exec) =>
        TimeSpan.FromSeconds(exec.TimeoutSeconds > 0 ? exec.TimeoutSeconds : Domain.Rendering.RenderedExec.DefaultTimeoutSeconds);

    private string? TrySave()
    {
        try
        {
            _inventory.Save();
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogInventorySaveFailed(ex);
            return $"saving the exec inventory: {ex.Message}";
        }
    }

    private static ResourceReport Resource(string id, string hash, ResourceState state, string message) =>
        new() { Id = id, Hash = hash, State = state, Message = message };
}
