using Fleet.Domain.Model;
using Fleet.Domain.Rollouts;
using Fleet.Domain.Serialization;
using Fleet.Hub.Capabilities;
using Fleet.Hub.Catalog;
using Fleet.Hub.Index;
using Fleet.Hub.Rollouts;
using Fleet.Hub.Targets;

namespace Fleet.Hub.Instances;

/// <summary>
/// An Instance: its revisions and rollouts, exactly like a capability's but delivered under the key
/// "capability/instance". Writes follow the capability's order — catalog intent, the capability's list
/// of instances, own state, catalog headline, then rollouts — so <see cref="Recover"/> can repair a crash.
/// </summary>
internal sealed partial class InstanceGrain(
    [PersistentState("instance", "fleet")] IPersistentState<InstanceGrainState> state,
    TimeProvider time,
    Observability.FleetMetrics metrics,
    ILogger<InstanceGrain> logger) : Grain, IInstanceGrain
{
    private string Name => this.GetPrimaryKeyString();

    private string Key => DeliveryKeys.Of(state.State.Capability, Name);

    private bool Exists => state.State.Revisions.Count > 0 && !state.State.Deleted;

    public async Task<ApplyOutcome> Apply(string capability, string givenInputsJson)
    {
        var s = state.State;
        if (Exists && s.Capability != capability)
        {
            throw new ArgumentException(
                $"instance {Name} belongs to capability {s.Capability}, not {capability}; delete it first to move it (fleet delete instance {Name})");
        }

        var created = !Exists;
        var capabilityGrain = GrainFactory.GetGrain<ICapabilityGrain>(capability);
        var view = await capabilityGrain.Get() ?? throw new ArgumentException($"capability {capability} does not exist");
        var catalog = GrainFactory.GetGrain<ICatalogGrain>(0);
        if (created)
        {
            // Intent first: the catalog entry is how recovery finds this grain, the capability's list how new revisions do.
            s.Capability = capability;
            s.Deleted = false;
            s.Created = time.GetUtcNow();
            // Created again after a delete: revision numbers go on, but nothing of it runs anywhere.
            s.StableRevision = 0;
            s.PendingStart = null;
            await catalog.Upsert(new CatalogEntry { Name = Key, Version = view.Version, LatestRevision = s.Revisions.LastOrDefault()?.Number ?? 0 });
            await capabilityGrain.AddInstance(Name);
        }

        s.GivenInputsJson = givenInputsJson;
        var (revision, changed, rolloutId) = await NewRevision(view.Revision, view.SpecJson);
        if (!changed)
        {
            if (created)
            {
                await state.WriteStateAsync();
            }

            return new ApplyOutcome(revision, created ? "created" : "unchanged", rolloutId);
        }

        return new ApplyOutcome(revision, created ? "created" : "configured", rolloutId);
    }

    public async Task<bool> Delete()
    {
        var s = state.State;
        if (!Exists)
        {
            return false;
        }

        var active = s.ActiveRollout;
        s.Deleted = true;
        s.ActiveRollout = null;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<ICatalogGrain>(0).Remove(Key);
        await GrainFactory.GetGrain<ICapabilityGrain>(s.Capability).RemoveInstance(Name);
        await RolloutBook.StopDeliveringAsync(GrainFactory, Key, active, "(instance deleted)");
        LogDeleted(logger, Name, s.Capability);
        return true;
    }

    public async Task OnCapabilityRevision(string capability, long revision)
    {
        var s = state.State;
        if (!Exists || s.Capability != capability || s.Revisions[^1].CapabilityRevision >= revision)
        {
            return;
        }

        var spec = await GrainFactory.GetGrain<ICapabilityGrain>(capability).GetRevisionSpec(revision);
        if (spec is not null)
        {
            await NewRevision(revision, spec);
        }
    }

    public Task<InstanceRevisionRef?> GetRevision(long revision) =>
        Task.FromResult(state.State.Revisions.FirstOrDefault(r => r.Number == revision) is { } found
            ? new InstanceRevisionRef(state.State.Capability, found.CapabilityRevision, found.InputsJson)
            : null);

    public Task<InstanceView?> Get()
    {
        var s = state.State;
        if (!Exists)
        {
            return Task.FromResult<InstanceView?>(null);
        }

        var latest = s.Revisions[^1];
        return Task.FromResult<InstanceView?>(new InstanceView
        {
            Name = Name,
            Capability = s.Capability,
            Key = Key,
            Revision = latest.Number,
            StableRevision = s.StableRevision,
            Revisions = [.. s.Revisions.Select(r => r.Number)],
            CapabilityRevision = latest.CapabilityRevision,
            InputsJson = latest.InputsJson,
            GivenInputsJson = s.GivenInputsJson,
            ActiveRollout = s.ActiveRollout,
            Created = s.Created,
            Rollouts = [.. s.Rollouts],
        });
    }

    public async Task OnRolloutFinished(string rolloutId, string phase, long stableRevision)
    {
        if (Exists && RolloutBook.Finished(state.State, rolloutId, phase, stableRevision))
        {
            await state.WriteStateAsync();
            await GrainFactory.GetGrain<ICatalogGrain>(0).Upsert(Headline());
        }
    }

    public async Task<string> StartRollout(long revision, string? strategyOverrideJson)
    {
        var s = state.State;
        if (!Exists)
        {
            throw new InvalidOperationException($"instance {Name} does not exist");
        }

        var target = RolloutBook.RevisionToStart($"instance {Name}", [.. s.Revisions.Select(r => r.Number)], revision);

        return await BeginRollout(new RolloutStart(Key, s.StableRevision, target, strategyOverrideJson));
    }

    public async Task<string> Undo()
    {
        if (!Exists)
        {
            throw new InvalidOperationException($"instance {Name} does not exist");
        }

        var start = await RolloutBook.FindUndo(GrainFactory, state.State, Key)
            ?? throw new InvalidOperationException($"instance {Name} has no rollout left to undo: none changed a target, or each was undone already");
        return await BeginRollout(start);
    }

    public async Task Recover()
    {
        var s = state.State;
        if (!Exists)
        {
            // A create that crashed before its first revision was written, or a delete that crashed halfway.
            if (s.Capability.Length > 0)
            {
                await GrainFactory.GetGrain<ICatalogGrain>(0).Remove(Key);
                await GrainFactory.GetGrain<ICapabilityGrain>(s.Capability).RemoveInstance(Name);
            }

            return;
        }

        await GrainFactory.GetGrain<ICapabilityGrain>(s.Capability).AddInstance(Name);
        await GrainFactory.GetGrain<ICatalogGrain>(0).Upsert(Headline());
        await RolloutBook.ResumeActiveAsync(GrainFactory, s, new RolloutStart(Key, s.StableRevision, s.Revisions[^1].Number));
    }

    /// <summary>
    /// Makes a revision of <paramref name="capabilityRevision"/> with the given inputs unless the latest already
    /// renders exactly that, and starts its rollout when the capability's trigger is auto.
    /// </summary>
    private async Task<(long Revision, bool Changed, string? RolloutId)> NewRevision(long capabilityRevision, string capabilitySpecJson)
    {
        var s = state.State;
        var (inputsJson, violations) = GivenInputs.Resolve(capabilitySpecJson, s.GivenInputsJson);
        if (inputsJson is null)
        {
            throw new ArgumentException($"instance {Name}: " + string.Join("; ", violations));
        }

        var hash = ContentHash.Of($"{capabilityRevision}\n{inputsJson}");
        var latest = s.Revisions.LastOrDefault();
        if (latest is not null && latest.Hash == hash)
        {
            return (latest.Number, false, null);
        }

        var number = (latest?.Number ?? 0) + 1;
        s.Revisions.Add(new InstanceRevision { Number = number, CapabilityRevision = capabilityRevision, InputsJson = inputsJson, Hash = hash, Created = time.GetUtcNow() });
        var trigger = ResolvedRolloutStrategy.Resolve(CapabilitySpecJson.Deserialize(capabilitySpecJson).Rollout).Trigger;
        string? rolloutId = null;
        if (trigger == RolloutTrigger.Auto)
        {
            // One write holds the revision and the rollout that delivers it.
            rolloutId = await BeginRollout(new RolloutStart(Key, s.StableRevision, number));
        }
        else
        {
            await state.WriteStateAsync();
            await GrainFactory.GetGrain<ICatalogGrain>(0).Upsert(Headline());
        }

        metrics.RevisionCreated(Key);
        LogRevisionCreated(logger, Name, number, capabilityRevision, rolloutId ?? "(manual trigger: fleet rollout start)");
        return (number, true, rolloutId);
    }

    private Task<string> BeginRollout(RolloutStart start) =>
        RolloutBook.BeginAsync(GrainFactory, state.State, DeliveryKeys.RolloutPrefix(Key), start, async () =>
        {
            await state.WriteStateAsync();
            await GrainFactory.GetGrain<ICatalogGrain>(0).Upsert(Headline());
        });

    private CatalogEntry Headline()
    {
        var s = state.State;
        return new CatalogEntry
        {
            Name = Key,
            LatestRevision = s.Revisions[^1].Number,
            StableRevision = s.StableRevision,
            ActiveRollout = s.ActiveRollout,
            Rollouts = [.. s.Rollouts],
        };
    }
}
