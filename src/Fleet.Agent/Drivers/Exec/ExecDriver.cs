using System.Globalization;
using System.Text.Json.Nodes;
using Fleet.Agent.Drivers.Pipeline;
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
/// deletes run the other way round, dependents first (the <see cref="ConvergingDriver{TEntry, TPass}"/> pipeline).
/// </summary>
internal sealed partial class ExecDriver : ConvergingDriver<ExecResourceRecord, ConvergePass<ExecResourceRecord>>
{
    /// <summary>The inventory's file in the state directory.</summary>
    public const string InventoryFileName = "exec-inventory.json";

    private readonly ProcessRunner _runner;
    private readonly TimeProvider _time;
    private readonly ILogger<ExecDriver> _logger;
    private readonly ResiliencePipeline<ProcessResult> _retry;

    // Resources whose check failed in the last drift detection: the next converge runs their command again.
    private readonly HashSet<(string Key, string Id)> _drifted = [];

    public ExecDriver(string stateDirectory, ExecOptions options, TimeProvider time, ILogger<ExecDriver> logger)
        : base("exec", stateDirectory, InventoryFileName, "resources", InventoryJsonContext.Default.ExecInventory, time, logger)
    {
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

    protected override Resource.KindOneofCase Kind => Resource.KindOneofCase.Exec;

    protected override ConvergePass<ExecResourceRecord> BeginPass(DesiredCapability desired) => new(desired);

    protected override async Task<ResourceReport?> DetectDriftAsync(DesiredCapability desired, InventoryRecord<ExecResourceRecord> record, Resource resource, CancellationToken cancellationToken)
    {
        var ran = record.Entries.Find(r => r.Id == resource.Id);
        if (resource.KindCase != Resource.KindOneofCase.Exec || resource.Exec.Check.Count == 0 || ran is not { Succeeded: true } || ran.Hash != resource.Hash)
        {
            // No check, or not yet applied as desired: the converge runs it anyway.
            return null;
        }

        var result = await RunAsync(desired, resource.Exec, resource.Exec.Check, "check", resource.Id, cancellationToken);
        if (result.Succeeded)
        {
            return null;
        }

        var message = $"check {result.Describe(Timeout(resource.Exec))}";
        LogDrifted(desired.Key, resource.Id, message);
        _drifted.Add((desired.Key, resource.Id));
        return Report(resource, ResourceState.Drifted, message);
    }

    /// <summary>Runs the recorded <c>delete</c>, if the resource has one; null once it succeeded (or there was none).</summary>
    protected override async Task<string?> DeleteAsync(string key, ExecResourceRecord ran, CancellationToken cancellationToken)
    {
        if (ran.Delete is not { Count: > 0 } delete)
        {
            return null;
        }

        var exec = new ExecResource { TimeoutSeconds = ran.TimeoutSeconds };
        exec.Env.Add(ran.Env);
        var result = await RunAsync(new DesiredCapability { Key = key, Revision = ran.Revision }, exec, delete, "delete", ran.Id, cancellationToken);
        LogRan(key, ran.Id, "delete", result.Describe(Timeout(exec)));

        // Kept on failure, so the next pass runs the delete again; the hub must not forget what is still there.
        return result.Succeeded ? null : $"{ran.Id}: delete {result.Describe(Timeout(exec))}";
    }

    protected override Task<ResourceReport> ApplyAsync(ConvergePass<ExecResourceRecord> pass, Resource resource, CancellationToken cancellationToken)
    {
        // Kept whatever happens now: what it ran before is not deleted only because this run failed.
        pass.KeptIds.Add(resource.Id);
        return RunApplyAsync(pass, resource, cancellationToken);
    }

    private async Task<ResourceReport> RunApplyAsync(ConvergePass<ExecResourceRecord> pass, Resource resource, CancellationToken cancellationToken)
    {
        var desired = pass.Desired;
        var exec = resource.Exec;
        if (exec.Command.Count == 0 || exec.Command[0].Length == 0)
        {
            return Report(resource, ResourceState.Failed, "command is empty");
        }

        var ran = pass.Record.Entries.Find(r => r.Id == resource.Id);
        var drifted = _drifted.Remove((desired.Key, resource.Id));
        if (ran is { Succeeded: true } && ran.Hash == resource.Hash && !drifted)
        {
            // Its dependencies are what this revision says even if its command is unchanged: removal goes by them.
            ran.DependsOn = [.. resource.DependsOn];
            return Observed(Report(resource, ResourceState.Ready, ran.Message), ran);
        }

        if (ran is { RunPid: { } pid, RunStartTime: { } startTime } && RunningProcess.IsAlive(pid, startTime))
        {
            // A run of a previous agent (killed before it could wait for it) still goes on: a second one next to it
            // could do its work twice, or against itself. Its outcome is unknown, so once it is gone the command runs again.
            return Report(resource, ResourceState.Applying, $"waiting: the previous run (pid {pid}) of this command is still running");
        }

        if (ran is null)
        {
            ran = new ExecResourceRecord { Id = resource.Id };
            pass.Record.Entries.Add(ran);
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
            return Report(resource, ResourceState.Failed, saveError);
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(ResourceKey, (desired.Key, resource.Id));
        ProcessResult result;
        try
        {
            result = await _retry.ExecuteAsync(
                static async (ctx, state) => await state.Driver.RunAsync(state.Desired, state.Exec, state.Exec.Command, "apply", state.Ran.Id, ctx.CancellationToken, state.Ran),
                context,
                (Driver: this, Desired: desired, Exec: exec, Ran: ran));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
            ran.RunPid = null;
            ran.RunStartTime = null;
        }

        ran.Succeeded = result.Succeeded;
        ran.RanAt = _time.GetUtcNow();
        ran.Message = result.Describe(Timeout(exec));
        ran.ExitCode = result.ExitCode;
        ran.StdoutTail = result.Stdout;
        ran.StderrTail = result.Stderr;
        pass.Changed++;
        LogRan(desired.Key, resource.Id, "apply", ran.Message);
        return Observed(Report(resource, result.Succeeded ? ResourceState.Ready : ResourceState.Failed, ran.Message), ran);
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

    /// <param name="running">The record of an apply: the run's pid is saved in it while the command runs.</param>
    private async Task<ProcessResult> RunAsync(
        DesiredCapability desired, ExecResource exec, IReadOnlyList<string> argv, string action, string id, CancellationToken cancellationToken, ExecResourceRecord? running = null)
    {
        var environment = new Dictionary<string, string>(exec.Env, StringComparer.Ordinal)
        {
            // What a wrapper script needs to be idempotent: which resource of which revision, and why it runs.
            ["FLEET_CAPABILITY"] = desired.Key,
            ["FLEET_REVISION"] = desired.Revision.ToString(CultureInfo.InvariantCulture),
            ["FLEET_RESOURCE"] = id,
            ["FLEET_ACTION"] = action,
        };
        var result = await _runner.RunAsync(argv, exec.HasStdin && action == "apply" ? exec.Stdin : null, environment, Timeout(exec), cancellationToken, running is null ? null : pid =>
        {
            running.RunPid = pid;
            running.RunStartTime = RunningProcess.StartTime(pid);
            TrySave();
        });
        return result.Masked(SecretMask.Values(exec.Env.Values));
    }

    private static TimeSpan Timeout(ExecResource exec) =>
        TimeSpan.FromSeconds(exec.TimeoutSeconds > 0 ? exec.TimeoutSeconds : Domain.Rendering.RenderedExec.DefaultTimeoutSeconds);
}
