using System.Text.Json.Serialization.Metadata;
using Fleet.Agent.Drivers.Dependencies;
using Fleet.Protocol.Agent.V1;
using Microsoft.Extensions.Logging;

namespace Fleet.Agent.Drivers.Pipeline;

/// <summary>
/// The one converge skeleton every driver runs: refuse what the hub could not render, order the resources by their
/// dependencies (<see cref="ResourceGraph"/>, the domain's order), check each resource's id (empty, duplicate) and kind,
/// hold it while the <see cref="ReadinessGate"/> says so, apply it, prune what the capability no longer wants
/// (dependents first, what a remaining dependent needs stays), save the inventory and derive the outcome
/// (<see cref="CapabilityOutcome"/>). Removal and drift detection walk the same inventory. Calls are serialized.
/// </summary>
/// <remarks>
/// A driver is its hooks, the abstract and virtual members below, and nothing of the skeleton. A new driver (git, say)
/// is written as: an entry type implementing <see cref="IInventoryEntry"/> (what one resource left on the target: a
/// checkout path, the commit it is at), its document added to <see cref="InventoryJsonContext"/>; a class deriving from
/// this one that passes its inventory's file name and list name to the constructor and implements <see cref="Kind"/>,
/// <see cref="ApplyAsync"/> (apply one resource that passed every check, record its entry in
/// <c>pass.Record.Entries</c> and save before touching the target, add it to <c>pass.KeptEntries</c>, and return
/// its report with observed state attached by <see cref="ObservedState.Attach"/>), <see cref="DeleteAsync"/> (remove one
/// recorded entry) and <see cref="DetectDriftAsync"/> (compare one applied resource with the target). Per-converge work
/// (parsing, a plan of paths) goes in a pass derived from <see cref="ConvergePass{TEntry}"/> made by
/// <see cref="BeginPass"/>; the other virtual members change a default only where the driver really differs. A driver whose
/// changes take effect in one step after the pass (git: a commit and a push) does that step in <see cref="PublishAsync"/>,
/// and brings its target up to date before the pass in <see cref="PrepareAsync"/> and before a drift check in
/// <see cref="PrepareDriftCheckAsync"/>.
/// </remarks>
internal abstract class ConvergingDriver<TEntry, TPass> : ITargetDriver
    where TEntry : class, IInventoryEntry
    where TPass : ConvergePass<TEntry>
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <param name="listName">What a record's entries are called in the inventory file (as before the pipeline).</param>
    protected ConvergingDriver(
        string name,
        string stateDirectory,
        string inventoryFileName,
        string listName,
        JsonTypeInfo<InventoryDocument<TEntry>> inventoryType,
        TimeProvider time,
        ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stateDirectory);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        Name = name;
        Inventory = Inventory<TEntry>.Load(stateDirectory, inventoryFileName, name, listName, inventoryType);
        _time = time;
        _logger = logger;
    }

    public string Name { get; }

    /// <summary>
    /// Every key that has converged and not been removed since, including ones whose resources all failed: the loop
    /// removes what is no longer desired, and that removal is what tells the hub to forget the key.
    /// </summary>
    public IReadOnlyCollection<string> OwnedCapabilities
    {
        get
        {
            _gate.Wait();
            try
            {
                return [.. Inventory.Keys];
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    protected Inventory<TEntry> Inventory { get; }

    /// <summary>The resource kind this driver applies; others are refused.</summary>
    protected abstract Resource.KindOneofCase Kind { get; }

    /// <summary>Starts one converge: whatever the driver works out once for the whole desired set.</summary>
    protected abstract TPass BeginPass(DesiredCapability desired);

    /// <summary>Lower is applied first where the dependencies leave a choice (kubernetes: namespaces, CRDs).</summary>
    protected virtual int Preference(TPass pass, Resource resource) => 0;

    /// <summary>
    /// Why this resource cannot be applied at all (not of <see cref="Kind"/>, a manifest that does not parse), or null.
    /// Called only for resources not awaiting a render. A refused resource keeps nothing it applied before.
    /// </summary>
    protected virtual string? Refuse(TPass pass, Resource resource) => KindRefusal.Check(resource, Kind, Name);

    /// <summary>Applies one resource that passed every check and whose dependencies are Ready; never throws for resource problems.</summary>
    protected abstract Task<ResourceReport> ApplyAsync(TPass pass, Resource resource, CancellationToken cancellationToken);

    /// <summary>Whether pruning keeps <paramref name="entry"/> after this pass.</summary>
    protected virtual bool Keeps(TPass pass, TEntry entry) => pass.KeptIds.Contains(entry.Id) || pass.KeptEntries.Contains(entry);

    /// <summary>
    /// Removes one recorded entry from the target; null once it is gone (or was never the driver's to remove), else the
    /// failure as the capability's message names it (the entry stays recorded and is tried again).
    /// </summary>
    protected abstract Task<string?> DeleteAsync(string key, TEntry entry, CancellationToken cancellationToken);

    /// <summary>Why <paramref name="entry"/> is not removed yet: <paramref name="dependent"/> still depends on it.</summary>
    protected virtual string Waiting(TEntry entry, string dependent) =>
        $"{entry.Id}: not removed yet: {dependent} depends on it and is still there";

    /// <summary>
    /// A Drifted report for one desired resource whose applied state on the target differs, else null (also when it was
    /// not applied as desired yet: the converge deals with that).
    /// </summary>
    protected abstract Task<ResourceReport?> DetectDriftAsync(DesiredCapability desired, InventoryRecord<TEntry> record, Resource resource, CancellationToken cancellationToken);

    /// <summary>How one drifted resource reads in the capability's message.</summary>
    protected virtual string DriftLine(ResourceReport drifted) => $"{drifted.Id}: {drifted.Message}";

    /// <summary>
    /// Brings the target to where the hooks can work on <paramref name="key"/>, before a converge or a removal touches
    /// anything (git: fetch the branch and put the working copy on top of it). A failure is returned, not thrown: a
    /// converge then applies nothing, a removal removes nothing, and both report it. Default: nothing to do.
    /// </summary>
    protected virtual Task<string?> PrepareAsync(string key, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    /// <summary>
    /// Refreshes what <see cref="DetectDriftAsync(DesiredCapability, InventoryRecord{TEntry}, Resource, CancellationToken)"/>
    /// compares with (git: fetch the branch); a non-null reason means nothing can be told about drift now (the converge
    /// that follows reports any real problem). Default: nothing to refresh.
    /// </summary>
    protected virtual Task<string?> PrepareDriftCheckAsync(string key, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    /// <summary>
    /// Makes what the hooks changed for <paramref name="key"/> in this converge or removal take effect as one step, after
    /// the applies and the pruning and before the inventory is saved (git: commit and push). <paramref name="resources"/>
    /// are the converge's resource reports, which it may amend (a commit id, Applying while not published); null for a
    /// removal. A failure is returned and reported; a removal whose publishing failed keeps the capability's record so
    /// that the next removal publishes again. Default: every change took effect when its hook made it.
    /// </summary>
    protected virtual Task<string?> PublishAsync(string key, long revision, IList<ResourceReport>? resources, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(null);

    public Task<CapabilityReport> ConvergeAsync(DesiredCapability desired, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        return SerializedAsync(() => ConvergeLockedAsync(desired, cancellationToken), cancellationToken);
    }

    public Task<CapabilityReport> RemoveAsync(string capabilityKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(capabilityKey);
        return SerializedAsync(() => RemoveLockedAsync(capabilityKey, cancellationToken), cancellationToken);
    }

    public Task<CapabilityReport?> DetectDriftAsync(DesiredCapability desired, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        return SerializedAsync(() => DetectDriftLockedAsync(desired, cancellationToken), cancellationToken);
    }

    /// <summary>Saves the inventory; a failure is returned as a message because it is reported, not thrown.</summary>
    protected string? TrySave()
    {
        try
        {
            Inventory.Save();
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            PipelineLog.InventorySaveFailed(_logger, Name, ex);
            return $"saving the {Name} inventory: {ex.Message}";
        }
    }

    protected static ResourceReport Report(Resource resource, ResourceState state, string message) =>
        new() { Id = resource.Id, Hash = resource.Hash, State = state, Message = message };

    /// <summary>
    /// Runs <paramref name="work"/> alone: the reconcile loop is serial, and the gate keeps the inventory consistent should
    /// that ever change. A cancelled call throws before it waits.
    /// </summary>
    private async Task<T> SerializedAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await work();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<CapabilityReport?> DetectDriftLockedAsync(DesiredCapability desired, CancellationToken cancellationToken)
    {
        if (desired.Error.Length > 0 || Inventory.Find(desired.Key) is not { } record)
        {
            return null;
        }

        if (await PrepareDriftCheckAsync(desired.Key, cancellationToken) is not null)
        {
            return null;
        }

        var drifted = new List<ResourceReport>();
        foreach (var resource in desired.Resources)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await DetectDriftAsync(desired, record, resource, cancellationToken) is { } report)
            {
                drifted.Add(report);
            }
        }

        return DriftReport.For(desired, drifted, DriftLine);
    }

    private async Task<CapabilityReport> ConvergeLockedAsync(DesiredCapability desired, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();

        // The hub could not render this capability for us: touching the target now would only make things worse.
        if (desired.Error.Length > 0)
        {
            return CapabilityOutcome.NotApplied(desired, desired.Error);
        }

        var report = new CapabilityReport { Key = desired.Key, Revision = desired.Revision, Hash = desired.Hash };
        if (desired.Key.Length == 0)
        {
            report.State = ResourceState.Failed;
            report.Message = "desired capability has no key; nothing applied";
            return report;
        }

        var pass = BeginPass(desired);
        var graph = ResourceGraph.Build(desired, r => Preference(pass, r));
        if (graph.Error is { } graphError)
        {
            return CapabilityOutcome.NotApplied(desired, graphError);
        }

        if (await PrepareAsync(desired.Key, cancellationToken) is { } prepareError)
        {
            return CapabilityOutcome.NotApplied(desired, prepareError);
        }

        pass.Record = Inventory.GetOrAdd(desired.Key);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var gate = new ReadinessGate();
        foreach (var resource in graph.Order)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ResourceReport outcome;
            if (resource.Id.Length == 0)
            {
                outcome = Report(resource, ResourceState.Failed, "resource has no id");
            }
            else if (resource.Awaiting.Length == 0 && Refuse(pass, resource) is { } refusal)
            {
                // Not kept: nothing of this revision applies under the id, so what was applied before under it goes.
                outcome = Report(resource, ResourceState.Failed, refusal);
            }
            else if (!ids.Add(resource.Id))
            {
                outcome = Report(resource, ResourceState.Failed, "duplicate resource id in this capability");
            }
            else if (gate.Hold(resource) is { } held)
            {
                // Not applied now (waiting for a dependency, or awaiting the hub's render), and not pruned either: what
                // it applied before stays until it may be applied again.
                pass.KeptIds.Add(resource.Id);
                outcome = held;
            }
            else
            {
                outcome = await ApplyAsync(pass, resource, cancellationToken);
            }

            gate.Record(outcome);
            report.Resources.Add(outcome);
        }

        var record = pass.Record;
        var (pruned, failures, waiting) = await PruneAsync(desired.Key, record, entry => Keeps(pass, entry), cancellationToken);
        if (await PublishAsync(desired.Key, desired.Revision, report.Resources, cancellationToken) is { } publishError)
        {
            failures.Add(publishError);
        }

        record.Entries = RemovalOrder.LikeGraph(record.Entries, e => e.Id, graph);
        record.Revision = desired.Revision;
        record.Hash = desired.Hash;
        if (TrySave() is { } saveError)
        {
            failures.Add(saveError);
        }

        CapabilityOutcome.Finish(report, desired, failures, waiting);

        // Resyncs repeat every few seconds; only a converge that did or found something is worth an info line.
        var elapsedMs = _time.GetElapsedTime(started).TotalMilliseconds;
        var failed = report.Resources.Count(r => r.State == ResourceState.Failed) + failures.Count;
        if (pass.Changed + pruned + failed > 0)
        {
            PipelineLog.Converged(_logger, Name, desired.Key, desired.Revision, pass.Changed, pruned, failed, elapsedMs);
        }
        else
        {
            PipelineLog.InSync(_logger, Name, desired.Key, desired.Revision, elapsedMs);
        }

        return report;
    }

    private async Task<CapabilityReport> RemoveLockedAsync(string key, CancellationToken cancellationToken)
    {
        var report = new CapabilityReport { Key = key };
        if (Inventory.Find(key) is not { } record)
        {
            report.Removed = true;
            return CapabilityOutcome.Finish(report);
        }

        report.Revision = record.Revision;
        report.Hash = record.Hash;
        if (await PrepareAsync(key, cancellationToken) is { } prepareError)
        {
            return CapabilityOutcome.Finish(report, otherFailures: [prepareError]);
        }

        var (_, failures, waiting) = await PruneAsync(key, record, _ => false, cancellationToken);
        if (await PublishAsync(key, record.Revision, null, cancellationToken) is { } publishError)
        {
            failures.Add(publishError);
        }
        else if (record.Entries.Count == 0)
        {
            Inventory.Remove(key);
        }

        if (TrySave() is { } saveError)
        {
            failures.Add(saveError);
        }

        // Kept while anything is left, so the loop retries; the hub must not forget what is still there.
        report.Removed = failures.Count == 0 && record.Entries.Count == 0;
        if (report.Removed)
        {
            PipelineLog.Removed(_logger, Name, key);
        }

        return CapabilityOutcome.Finish(report, otherFailures: failures, otherWaiting: waiting);
    }

    /// <summary>
    /// Removes every recorded entry that <paramref name="keep"/> does not keep, dependents first, and forgets it. An
    /// entry something still on the target depends on waits until that is gone. Returns how many went, what failed
    /// and what waits.
    /// </summary>
    private async Task<(int Pruned, List<string> Failures, List<string> Waiting)> PruneAsync(
        string key, InventoryRecord<TEntry> record, Func<TEntry, bool> keep, CancellationToken cancellationToken)
    {
        var pruned = 0;
        var failures = new List<string>();

        // Walking backwards takes dependents first; going round again removes what a dependent removed later in the
        // same walk was still holding (a record ordered by a newer revision than the dependencies it still runs by).
        var attempted = new HashSet<TEntry>(ReferenceEqualityComparer.Instance);
        for (var removed = true; removed;)
        {
            removed = false;
            for (var i = record.Entries.Count - 1; i >= 0; i--)
            {
                var entry = record.Entries[i];
                if (keep(entry) || attempted.Contains(entry) || Dependent(record, entry) is not null)
                {
                    continue;
                }

                cancellationToken.ThrowIfCancellationRequested();
                attempted.Add(entry);
                if (await DeleteAsync(key, entry, cancellationToken) is { } failure)
                {
                    failures.Add(failure);
                    continue;
                }

                record.Entries.Remove(entry);
                pruned++;
                removed = true;
            }
        }

        var waiting = record.Entries
            .Where(e => !keep(e) && !attempted.Contains(e))
            .Select(e => Waiting(e, Dependent(record, e)!))
            .ToList();
        return (pruned, failures, waiting);
    }

    private static string? Dependent(InventoryRecord<TEntry> record, TEntry entry) =>
        RemovalOrder.Dependent(entry.Id, record.Entries.Select(e => (e.Id, e.DependsOn)));
}
