using Fleet.Domain.Rendering;
using Fleet.Domain.Rollouts;
using Fleet.Domain.Serialization;
using Fleet.Domain.Targets;
using Fleet.Hub.Catalog;
using Fleet.Hub.Index;
using Fleet.Hub.Rendering;
using Fleet.Hub.Rollouts;
using Fleet.Protocol;
using Fleet.Protocol.Agent.V1;
using Google.Protobuf;

namespace Fleet.Hub.Targets;

/// <summary>
/// One target. It owns which revision of each capability the target should run (assignments, set by
/// rollouts or by placement when the target joins), what its agent last reported, and the push of
/// the rendered desired set to the agent's stream. Connection state lives only in memory: after a
/// hub restart a target is disconnected until its agent dials in again.
/// </summary>
[Orleans.Placement.PreferLocalPlacement] // Activated by its agent's stream: the push is then normally a call within the node.
internal sealed partial class TargetGrain(
    [PersistentState("target", "fleet")] IPersistentState<TargetGrainState> state,
    CompiledRevisionCache revisions,
    TimeProvider time,
    IServiceProvider services,
    ILogger<TargetGrain> logger) : Grain, ITargetGrain
{
    /// <summary>Without a heartbeat for this long the target counts as disconnected (agents beat every 10 s).</summary>
    internal static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, RenderedCapability> _rendered = new(StringComparer.Ordinal);
    private readonly RenderLimits _renderLimits = BudgetedRender.LimitsFrom(services);
    private readonly Dictionary<string, RenderedCapability> _overflowed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _desiredSizes = new(StringComparer.Ordinal);
    private HashSet<string> _delivered = new(StringComparer.Ordinal);
    private IAgentObserver? _observer;
    private Guid _session;
    private Guid _cutOffSession;
    private DateTimeOffset _lastHeartbeat;
    private string _lastPushedHash = "";

    private string Name => this.GetPrimaryKeyString();

    private TargetInfo Info => new(Name, state.State.Labels, state.State.Facts, state.State.Driver);

    public async Task<VersionedDesiredSet> Connect(Guid session, AgentHello hello, IAgentObserver observer)
    {
        var now = time.GetUtcNow();
        _session = session;
        _observer = observer;
        _lastHeartbeat = now;
        _lastPushedHash = "";

        var s = state.State;
        s.Labels = hello.Labels;
        s.Facts = hello.Facts;
        s.Driver = hello.Driver;
        s.FirstSeen ??= now;
        s.LastSeen = now;
        foreach (var report in hello.Current)
        {
            s.Reports[report.Key] = await KeepObservedStateRendersNeed(report with { At = now });
        }

        _rendered.Clear();
        _overflowed.Clear();
        await ReconcilePlacement();
        await state.WriteStateAsync();
        await UpdateIndex();
        LogConnected(logger, Name, hello.Driver, hello.Current.Count);

        var desired = await BuildDesiredSet();
        _lastPushedHash = desired.Hash;
        foreach (var report in hello.Current)
        {
            NotifyRollout(report);
        }

        return Versioned(desired);
    }

    public async Task<AttachOutcome> Attach(Guid session, IAgentObserver observer)
    {
        if (_observer is not null)
        {
            return new AttachOutcome(session == _session ? AttachStatus.Attached : AttachStatus.Replaced);
        }

        if (session == _cutOffSession || (_session != Guid.Empty && session != _session))
        {
            // This activation saw another stream connect (and end) after this one: the newer one won.
            return new AttachOutcome(AttachStatus.Replaced);
        }

        _session = session;
        _observer = observer;
        _lastHeartbeat = time.GetUtcNow();
        state.State.LastSeen = _lastHeartbeat;
        var desired = await BuildDesiredSet();
        _lastPushedHash = desired.Hash;
        LogResumed(logger, Name);
        return new AttachOutcome(AttachStatus.Resumed, Versioned(desired));
    }

    public Task CutOff(string reason)
    {
        var observer = _observer;
        _observer = null;
        _cutOffSession = _session;
        observer?.OnCutOff(reason);
        return Task.CompletedTask;
    }

    public async Task Disconnect(Guid session)
    {
        if (session != _session || _observer is null)
        {
            return;
        }

        _observer = null;
        state.State.LastSeen = time.GetUtcNow();
        await state.WriteStateAsync();
        LogDisconnected(logger, Name);
    }

    public Task<bool> Heartbeat(Guid session)
    {
        if (session != _session || _observer is null)
        {
            return Task.FromResult(false);
        }

        _lastHeartbeat = time.GetUtcNow();
        state.State.LastSeen = _lastHeartbeat;
        return Task.FromResult(true);
    }

    public async Task<bool> Report(Guid session, ReportedCapability report)
    {
        if (session != _session || _observer is null)
        {
            // Not this grain's stream: replaced (the newer stream restates everything), or this is a new
            // activation that no stream has attached to yet (the stream attaches and reports again).
            return false;
        }

        var now = time.GetUtcNow();
        _lastHeartbeat = now;
        var s = state.State;
        s.LastSeen = now;
        if (report.Removed)
        {
            var previousReport = s.Reports.GetValueOrDefault(report.Key);
            s.Reports.Remove(report.Key);
            if (s.Assignments.TryGetValue(report.Key, out var assignment) && assignment.Removing)
            {
                s.Assignments.Remove(report.Key);
                try
                {
                    await state.WriteStateAsync();
                }
                catch
                {
                    // Not stored (storage down): the report is delivered again later and must find the
                    // removal still pending, or its index update and rollout notice would be skipped.
                    s.Assignments[report.Key] = assignment;
                    if (previousReport is not null)
                    {
                        s.Reports[report.Key] = previousReport;
                    }

                    throw;
                }

                Forget(report.Key);
                await UpdateIndex();
                if (assignment.RolloutId is { } rolloutId)
                {
                    GrainFactory.GetGrain<IRolloutGrain>(rolloutId)
                        .OnTargetResult(Name, assignment.Capability, 0, TargetOutcome.Ready, "removed").Ignore();
                }

                return true;
            }

            await state.WriteStateAsync();
            return true;
        }

        report = await KeepObservedStateRendersNeed(report with { At = now });
        s.Reports[report.Key] = report;
        await state.WriteStateAsync();
        if (await AssignedRevision(report.Key) is { ReferencedIds.Count: > 0 } compiled)
        {
            // A resource that reads another's observed state renders anew from what was just reported.
            await Render(compiled);
            await Push();
        }

        NotifyRollout(report);
        return true;
    }

    /// <summary>The revision the target is to run under <paramref name="key"/>, compiled; null when none or being removed.</summary>
    private async Task<CompiledCapability?> AssignedRevision(string key) =>
        state.State.Assignments.GetValueOrDefault(key) is { Removing: false } assignment
            ? await revisions.GetAsync(assignment.Capability, assignment.Revision)
            : null;

    /// <summary>
    /// Observed objects are kept only where rendering reads them (<c>resources.&lt;id&gt;</c>), so target state stays small.
    /// A report that leaves out a resource others read (a capability that failed as a whole reports no resources) keeps
    /// what was last reported for it: forgetting it would render the readers as awaiting again, and a render error
    /// would then come and go with every report instead of standing as the target's Failed state.
    /// </summary>
    private async Task<ReportedCapability> KeepObservedStateRendersNeed(ReportedCapability report)
    {
        var referenced = (await AssignedRevision(report.Key))?.ReferencedIds;
        if (referenced is not { Count: > 0 })
        {
            return report.Resources.All(r => r.ObservedJson is null)
                ? report
                : report with { Resources = [.. report.Resources.Select(r => r with { ObservedJson = null })] };
        }

        var kept = report.Resources.Select(r => referenced.Contains(r.Id) ? r : r with { ObservedJson = null }).ToList();
        if (state.State.Reports.GetValueOrDefault(report.Key) is { } previous)
        {
            kept.AddRange(previous.Resources.Where(r => referenced.Contains(r.Id) && r.ObservedJson is not null && kept.All(k => k.Id != r.Id)));
        }

        return report with { Resources = kept };
    }

    /// <summary>What the agent reported for the resources <paramref name="compiled"/> reads, as rendering takes it.</summary>
    private Dictionary<string, ObservedResource>? ObservedFor(CompiledCapability compiled) =>
        ObservedStates.For(compiled, state.State.Reports.GetValueOrDefault(compiled.Key)?.Resources);

    public Task<List<ReportedResource>> ReportedResources(string key) =>
        Task.FromResult(state.State.Reports.GetValueOrDefault(key)?.Resources.ToList() ?? []);

    public async Task<AssignOutcome> Assign(string capability, long revision, string? rolloutId, bool skipIfOffline = false)
    {
        var s = state.State;
        var existing = s.Assignments.GetValueOrDefault(capability);
        var previous = Previous(existing, rolloutId);
        if (skipIfOffline && !IsConnected && !(existing is { Removing: false } && existing.Revision == revision))
        {
            return new AssignOutcome(AssignStatus.Skipped, "target not connected: left for a later rollout", previous);
        }

        s.Assignments[capability] = new TargetAssignment { Capability = capability, Revision = revision, RolloutId = rolloutId, PreviousRevision = previous };
        Forget(capability);
        await state.WriteStateAsync();
        if (existing is null)
        {
            await UpdateIndex();
        }

        var compiled = await revisions.GetAsync(capability, revision);
        if (compiled is null)
        {
            return new AssignOutcome(AssignStatus.Failed, $"capability {capability} has no revision {revision}", previous);
        }

        await Render(compiled);
        await Push();
        // What the target receives: a render that does not fit its desired set is sent as Failed.
        var rendered = Sent(capability)!;
        if (rendered.Error is not null)
        {
            return new AssignOutcome(AssignStatus.Failed, rendered.Error, previous);
        }

        var report = s.Reports.GetValueOrDefault(capability);
        if (IsAt(report, revision, rendered, TargetCapabilityState.Ready))
        {
            return new AssignOutcome(AssignStatus.Done, "", previous);
        }

        // The same rollout asking again (after a hub restart) learns a failure it may not have stored.
        return existing?.RolloutId == rolloutId && rolloutId is not null && IsAt(report, revision, rendered, TargetCapabilityState.Failed)
            ? new AssignOutcome(AssignStatus.Failed, report!.Message, previous)
            : new AssignOutcome(AssignStatus.Waiting, "", previous);
    }

    public async Task<AssignOutcome> Unassign(string capability, string? rolloutId, bool skipIfOffline = false)
    {
        var s = state.State;
        var assigned = s.Assignments.GetValueOrDefault(capability);
        var previous = Previous(assigned, rolloutId);
        if (!s.Reports.ContainsKey(capability))
        {
            // The agent never reported it: nothing runs there to remove.
            if (assigned is not null)
            {
                s.Assignments.Remove(capability);
                Forget(capability);
                await state.WriteStateAsync();
                await UpdateIndex();
                await Push();
            }

            return new AssignOutcome(AssignStatus.Done, "", previous);
        }

        if (skipIfOffline && !IsConnected)
        {
            return new AssignOutcome(AssignStatus.Skipped, "target not connected: left for a later rollout", previous);
        }

        s.Assignments[capability] = new TargetAssignment
        {
            Capability = capability,
            Revision = assigned?.Revision ?? 0,
            RolloutId = rolloutId,
            Removing = true,
            PreviousRevision = previous,
        };
        Forget(capability);
        await state.WriteStateAsync();
        await UpdateIndex();
        await Push();
        return new AssignOutcome(AssignStatus.Waiting, "", previous);
    }

    private static long Previous(TargetAssignment? existing, string? rolloutId) =>
        TargetCapabilityRules.PreviousRevision(existing?.Snapshot(), rolloutId);

    public Task<TargetView?> Get()
    {
        var s = state.State;
        if (s.FirstSeen is null)
        {
            return Task.FromResult<TargetView?>(null);
        }

        var connected = IsConnected;
        var capabilities = new Dictionary<string, TargetCapabilityView>(StringComparer.Ordinal);
        foreach (var key in s.Assignments.Keys.Union(s.Reports.Keys).Order(StringComparer.Ordinal))
        {
            capabilities[key] = Describe(s.Assignments.GetValueOrDefault(key), s.Reports.GetValueOrDefault(key), Sent(key)?.Hash, connected);
        }

        return Task.FromResult<TargetView?>(new TargetView
        {
            Name = Name,
            Labels = s.Labels,
            Facts = s.Facts,
            Driver = s.Driver,
            Connected = connected,
            LastSeen = s.LastSeen,
            Capabilities = capabilities,
        });
    }

    private bool IsConnected => _observer is not null && time.GetUtcNow() - _lastHeartbeat < Lease;

    /// <param name="sentHash">The hash of the render the target has been sent for the key, when this activation rendered it.</param>
    private static TargetCapabilityView Describe(TargetAssignment? assignment, ReportedCapability? report, string? sentHash, bool connected)
    {
        var status = TargetCapabilityRules.Describe(assignment?.Snapshot(), report?.Snapshot(), sentHash, connected);
        return new TargetCapabilityView(status.Revision, status.State, status.Message, status.DesiredRevision);
    }

    /// <summary>
    /// Applies the placement of each capability's stable revision to this target: a target that newly
    /// matches receives the stable revision, one that stopped matching has the capability removed.
    /// Capabilities in the middle of a rollout are left to that rollout, except that a joining target
    /// still receives the stable revision.
    /// </summary>
    private async Task ReconcilePlacement()
    {
        var s = state.State;
        var catalog = await GrainFactory.GetGrain<ICatalogGrain>(0).List();
        var known = catalog.ToDictionary(c => c.Name, StringComparer.Ordinal);
        // A capability that takes inputs is delivered only through its instances, which have entries of their own.
        foreach (var entry in catalog.Where(c => !c.TakesInputs && (c.StableRevision > 0 || c.ActiveRollout is not null)))
        {
            var compiled = entry.StableRevision > 0 ? await revisions.GetAsync(entry.Name, entry.StableRevision) : null;
            if (compiled is null && entry.ActiveRollout is null)
            {
                continue;
            }

            var placed = compiled?.Place(Info).Placed ?? false;
            var assigned = s.Assignments.GetValueOrDefault(entry.Name);
            switch (TargetCapabilityRules.OnJoin(placed, assigned?.Snapshot(), rolloutRunning: entry.ActiveRollout is not null))
            {
                case JoinAction.OfferToRollout:
                    // One-way, because that rollout may be calling this grain right now.
                    GrainFactory.GetGrain<IRolloutGrain>(entry.ActiveRollout!).OfferTarget(new TargetIndexEntry
                    {
                        Name = Name,
                        Labels = s.Labels,
                        Facts = s.Facts,
                        Driver = s.Driver,
                    }).Ignore();
                    break;
                case JoinAction.PlaceStable:
                    s.Assignments[entry.Name] = new TargetAssignment { Capability = entry.Name, Revision = entry.StableRevision };
                    LogPlacedOnJoin(logger, Name, entry.Name, entry.StableRevision);
                    break;
                case JoinAction.Remove:
                    MarkRemoving(entry.Name, assigned!);
                    break;
            }
        }

        foreach (var (key, assigned) in s.Assignments.Where(a => !known.ContainsKey(a.Key) && !a.Value.Removing).ToList())
        {
            MarkRemoving(key, assigned);
        }
    }

    private void MarkRemoving(string key, TargetAssignment assigned)
    {
        if (state.State.Reports.ContainsKey(key))
        {
            assigned.Removing = true;
            assigned.RolloutId = null;
        }
        else
        {
            state.State.Assignments.Remove(key);
        }
    }

    private void NotifyRollout(ReportedCapability report)
    {
        if (!state.State.Assignments.TryGetValue(report.Key, out var assignment)
            || assignment.Removing
            || assignment.RolloutId is not { } rolloutId
            || Sent(report.Key) is not { } rendered)
        {
            return;
        }

        if (report.Revision != assignment.Revision || report.Hash != rendered.Hash)
        {
            return;
        }

        var outcome = report.State switch
        {
            TargetCapabilityState.Ready => TargetOutcome.Ready,
            TargetCapabilityState.Failed => TargetOutcome.Failed,
            _ => TargetOutcome.Unready,
        };

        // One-way: the rollout may at this moment be calling Assign on this grain.
        GrainFactory.GetGrain<IRolloutGrain>(rolloutId)
            .OnTargetResult(Name, assignment.Capability, assignment.Revision, outcome, report.Message).Ignore();
    }

    private static bool IsAt(ReportedCapability? report, long revision, RenderedCapability rendered, TargetCapabilityState expected) =>
        report is not null && report.Revision == revision && report.Hash == rendered.Hash && report.State == expected;

    /// <summary>
    /// Renders off the grain's turn, within the render budget: the grain waits for the result (so calls to it stay in
    /// order) but the hub's scheduler does not. A render that runs out of its budget is this target's Failed capability.
    /// </summary>
    private async Task<RenderedCapability> Render(CompiledCapability compiled)
    {
        var rendered = await BudgetedRender.RunAsync(compiled, Info, ObservedFor(compiled), _renderLimits, time);
        if (rendered.OverBudgetResource is not null)
        {
            LogOverBudget(logger, Name, rendered.Key, rendered.Error!);
        }

        _rendered[rendered.Key] = rendered;
        // Whether it fits is decided again when the desired set is next built.
        _overflowed.Remove(rendered.Key);
        return rendered;
    }

    private void Forget(string key)
    {
        _rendered.Remove(key);
        _overflowed.Remove(key);
    }

    /// <summary>
    /// The whole desired set, always within what the agent receives (<see cref="AgentStreamLimits.MaxDesiredSetBytes"/>): a
    /// capability that would take it over is sent as Failed with the reason instead, and the others still flow.
    /// </summary>
    private async Task<DesiredSet> BuildDesiredSet()
    {
        var entries = new List<(RenderedCapability Rendered, DesiredCapability Message)>();
        foreach (var assignment in state.State.Assignments.Values.Where(a => !a.Removing).OrderBy(a => a.Capability, StringComparer.Ordinal))
        {
            if (!_rendered.TryGetValue(assignment.Capability, out var rendered))
            {
                var compiled = await revisions.GetAsync(assignment.Capability, assignment.Revision);
                rendered = compiled is null
                    ? new RenderedCapability(assignment.Capability, DeliveryKeys.Split(assignment.Capability).Capability, assignment.Revision, "", [], $"revision {assignment.Revision} not found")
                    : await Render(compiled);
            }

            entries.Add((rendered, DesiredSetMapper.ToMessage(rendered)));
        }

        var overflowing = Overflowing(entries);
        var overflowedBefore = _overflowed.Keys.ToHashSet(StringComparer.Ordinal);
        _overflowed.Clear();
        _desiredSizes.Clear();
        var desired = new DesiredSet();
        var hashInput = new System.Text.StringBuilder();
        foreach (var (full, fullMessage) in entries)
        {
            var (rendered, message) = (full, fullMessage);
            if (overflowing.Contains(full.Key))
            {
                rendered = DesiredSetFit.Overflowed(full, Name, DesiredSetSize.Of(fullMessage), AgentStreamLimits.MaxDesiredSetBytes);
                message = DesiredSetMapper.ToMessage(rendered);
                _overflowed[full.Key] = rendered;
                if (!overflowedBefore.Contains(full.Key))
                {
                    LogDesiredSetOverflow(logger, Name, full.Key, DesiredSetSize.Of(fullMessage));
                }
            }

            _desiredSizes[rendered.Key] = DesiredSetSize.Of(message);
            desired.Capabilities.Add(message);
            hashInput.Append(rendered.Key).Append('@').Append(rendered.Revision).Append('=').Append(rendered.Hash).Append('!').Append(rendered.Error).Append('\n');
        }

        _delivered = [.. entries.Select(e => e.Rendered.Key).Where(k => !overflowing.Contains(k))];
        desired.Hash = ContentHash.Of(hashInput.ToString());
        return desired;
    }

    /// <summary>The keys that do not fit, keeping what the agent already receives in full before newcomers.</summary>
    private IReadOnlySet<string> Overflowing(List<(RenderedCapability Rendered, DesiredCapability Message)> entries)
    {
        if (DesiredSetSize.Fixed + entries.Sum(e => DesiredSetSize.Of(e.Message)) <= AgentStreamLimits.MaxDesiredSetBytes)
        {
            // The usual case: everything fits, and no failure needs to be built to know it.
            return new HashSet<string>();
        }

        var sizes = entries.Select(e => new DesiredEntrySize(
            e.Rendered.Key,
            DesiredSetSize.Of(e.Message),
            DesiredSetSize.Of(DesiredSetMapper.ToMessage(DesiredSetFit.Overflowed(e.Rendered, Name, DesiredSetSize.Of(e.Message), AgentStreamLimits.MaxDesiredSetBytes))))).ToList();
        return DesiredSetFit.Overflowing(sizes, _delivered, DesiredSetSize.Fixed, AgentStreamLimits.MaxDesiredSetBytes);
    }

    /// <summary>What the target receives under <paramref name="key"/>: the render, or its failure when it did not fit.</summary>
    private RenderedCapability? Sent(string key) =>
        _overflowed.GetValueOrDefault(key) ?? _rendered.GetValueOrDefault(key);

    public async Task<DesiredSetSizes> DesiredSetSizes()
    {
        await BuildDesiredSet();
        return new DesiredSetSizes { Fixed = DesiredSetSize.Fixed, Capabilities = new Dictionary<string, long>(_desiredSizes, StringComparer.Ordinal) };
    }

    private async Task Push()
    {
        if (_observer is null)
        {
            return;
        }

        var desired = await BuildDesiredSet();
        if (desired.Hash == _lastPushedHash)
        {
            return;
        }

        _lastPushedHash = desired.Hash;
        _observer.OnDesiredSet(Versioned(desired));
    }

    private VersionedDesiredSet Versioned(DesiredSet desired) =>
        new(Storage.StorageEtag.TryParse(state.Etag ?? "", out var version) ? version : 0, desired.ToByteArray());

    private Task UpdateIndex() =>
        TargetIndex.ShardFor(GrainFactory, Name).Upsert(new TargetIndexEntry
        {
            Name = Name,
            Labels = state.State.Labels,
            Facts = state.State.Facts,
            Driver = state.State.Driver,
            Capabilities = state.State.Assignments.Keys.Order(StringComparer.Ordinal).ToList(),
        });
}
