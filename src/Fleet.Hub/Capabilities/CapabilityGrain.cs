using Fleet.Domain.Model;
using Fleet.Domain.Rollouts;
using Fleet.Domain.Serialization;
using Fleet.Hub.Catalog;
using Fleet.Hub.Index;
using Fleet.Hub.Instances;
using Fleet.Hub.Rollouts;
using Fleet.Hub.Targets;

namespace Fleet.Hub.Capabilities;

/// <summary>
/// Holds a capability's revisions. Every write follows one order — catalog intent, own state, catalog
/// headline, then rollouts — so that <see cref="Recover"/> can always repair what a crash interrupted.
/// A capability that takes inputs is never delivered itself: each new revision goes to its Instances,
/// which roll it out with their own inputs.
/// </summary>
internal sealed partial class CapabilityGrain(
    [PersistentState("capability", "fleet")] IPersistentState<CapabilityGrainState> state,
    TimeProvider time,
    Observability.FleetMetrics metrics,
    ILogger<CapabilityGrain> logger) : Grain, ICapabilityGrain
{
    private string Name => this.GetPrimaryKeyString();

    public async Task<ApplyOutcome> Apply(string specJson)
    {
        var spec = CapabilitySpecJson.Deserialize(specJson);
        if (spec.Name != Name)
        {
            throw new ArgumentException($"spec names capability '{spec.Name}', not '{Name}'", nameof(specJson));
        }

        var canonical = CapabilitySpecJson.Serialize(spec);
        var hash = ContentHash.Of(canonical);
        var s = state.State;
        var latest = s.Revisions.LastOrDefault();
        if (latest is not null && latest.Hash == hash && !s.Deleted)
        {
            return new ApplyOutcome(latest.Number, "unchanged", null);
        }

        var outcome = latest is null || s.Deleted ? "created" : "configured";
        var now = time.GetUtcNow();
        var revision = (latest?.Number ?? 0) + 1;
        var catalog = GrainFactory.GetGrain<ICatalogGrain>(0);
        if (latest is null || s.Deleted)
        {
            // Intent first: the catalog is how recovery finds this grain after a crash.
            await catalog.Upsert(new CatalogEntry { Name = Name, Version = spec.Version, LatestRevision = s.Revisions.LastOrDefault()?.Number ?? 0, TakesInputs = spec.Inputs is not null });
            s.Created = now;
            // Created again after a delete: revision numbers go on (they are never reused), but nothing runs anywhere.
            s.StableRevision = 0;
            s.PendingStart = null;
        }

        s.Deleted = false;
        s.Revisions.Add(new CapabilityRevision { Number = revision, SpecJson = canonical, Hash = hash, Version = spec.Version, Created = now });
        string? rolloutId = null;
        if (spec.Inputs is not null)
        {
            // Its instances deliver it; the revision is what they render from now on.
            s.StableRevision = revision;
            await state.WriteStateAsync();
            await catalog.Upsert(Headline());
            await OfferToInstances(revision);
        }
        else if (ResolvedRolloutStrategy.Resolve(spec.Rollout).Trigger == RolloutTrigger.Auto)
        {
            // One write holds the revision and the rollout that delivers it: a crash cannot keep one without the other.
            rolloutId = await BeginRollout(new RolloutStart(Name, s.StableRevision, revision));
        }
        else
        {
            await state.WriteStateAsync();
            await catalog.Upsert(Headline());
        }

        metrics.RevisionCreated(Name);
        LogRevisionCreated(logger, Name, revision, rolloutId ?? "(manual trigger: fleet rollout start)");
        return new ApplyOutcome(revision, outcome, rolloutId);
    }

    public async Task<bool> Delete()
    {
        var s = state.State;
        if (s.Revisions.Count == 0 || s.Deleted)
        {
            return false;
        }

        if (s.Instances.Count > 0)
        {
            // Deleting the capability would take every team's instance off its targets at once; make that explicit.
            throw new InvalidOperationException(
                $"capability {Name} has {s.Instances.Count} instance(s): {string.Join(", ", s.Instances)}; delete them first (fleet delete instance NAME)");
        }

        var active = s.ActiveRollout;
        s.Deleted = true;
        s.ActiveRollout = null;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<ICatalogGrain>(0).Remove(Name);
        await RolloutBook.StopDeliveringAsync(GrainFactory, Name, active, "(capability deleted)");
        LogDeleted(logger, Name);
        return true;
    }

    public Task<string?> GetRevisionSpec(long revision) =>
        Task.FromResult(state.State.Revisions.FirstOrDefault(r => r.Number == revision)?.SpecJson);

    public Task<CapabilityView?> Get()
    {
        var s = state.State;
        if (s.Revisions.Count == 0 || s.Deleted)
        {
            return Task.FromResult<CapabilityView?>(null);
        }

        var latest = s.Revisions[^1];
        return Task.FromResult<CapabilityView?>(new CapabilityView
        {
            Name = Name,
            Version = latest.Version,
            Revision = latest.Number,
            StableRevision = s.StableRevision,
            Revisions = s.Revisions.Select(r => r.Number).ToList(),
            ActiveRollout = s.ActiveRollout,
            SpecJson = latest.SpecJson,
            Created = s.Created,
            Rollouts = [.. s.Rollouts],
            Instances = [.. s.Instances],
        });
    }

    public async Task OnRolloutFinished(string rolloutId, string phase, long stableRevision)
    {
        var s = state.State;
        if (s.Deleted)
        {
            return;
        }

        if (RolloutBook.Finished(s, rolloutId, phase, stableRevision))
        {
            await state.WriteStateAsync();
            await GrainFactory.GetGrain<ICatalogGrain>(0).Upsert(Headline());
        }
    }

    public async Task<string> StartRollout(long revision, string? strategyOverrideJson)
    {
        var s = state.State;
        if (s.Revisions.Count == 0 || s.Deleted)
        {
            throw new InvalidOperationException($"capability {Name} does not exist");
        }

        RefuseWhenDeliveredPerInstance("fleet rollout start");
        var target = RolloutBook.RevisionToStart($"capability {Name}", [.. s.Revisions.Select(r => r.Number)], revision);
        return await BeginRollout(new RolloutStart(Name, s.StableRevision, target, strategyOverrideJson));
    }

    public async Task<string> Undo()
    {
        RefuseWhenDeliveredPerInstance("fleet rollout undo");
        var start = await RolloutBook.FindUndo(GrainFactory, state.State, Name)
            ?? throw new InvalidOperationException($"capability {Name} has no rollout left to undo: none changed a target, or each was undone already");
        return await BeginRollout(start);
    }

    public async Task AddInstance(string instance)
    {
        var s = state.State;
        if (s.Revisions.Count == 0 || s.Deleted)
        {
            throw new InvalidOperationException($"capability {Name} does not exist");
        }

        if (!s.Instances.Contains(instance, StringComparer.Ordinal))
        {
            s.Instances.Add(instance);
            s.Instances.Sort(StringComparer.Ordinal);
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveInstance(string instance)
    {
        if (state.State.Instances.Remove(instance))
        {
            await state.WriteStateAsync();
        }
    }

    /// <summary>Each instance renders the new revision with its inputs and rolls it out by the capability's trigger.</summary>
    private Task OfferToInstances(long revision) =>
        Task.WhenAll(state.State.Instances.Select(i => GrainFactory.GetGrain<IInstanceGrain>(i).OnCapabilityRevision(Name, revision)));

    private void RefuseWhenDeliveredPerInstance(string command)
    {
        if (CapabilitySpecJson.Deserialize(state.State.Revisions[^1].SpecJson).Inputs is not null)
        {
            throw new InvalidOperationException(
                $"capability {Name} takes inputs and is delivered per instance: {command} {Name}/INSTANCE"
                + (state.State.Instances.Count > 0 ? $" (instances: {string.Join(", ", state.State.Instances)})" : " (it has no instances yet)"));
        }
    }

    private Task<string> BeginRollout(RolloutStart start) =>
        RolloutBook.BeginAsync(GrainFactory, state.State, Name, start, async () =>
        {
            await state.WriteStateAsync();
            await GrainFactory.GetGrain<ICatalogGrain>(0).Upsert(Headline());
        });

    public async Task Recover()
    {
        var catalog = GrainFactory.GetGrain<ICatalogGrain>(0);
        if (state.State.Revisions.Count == 0 || state.State.Deleted)
        {
            await catalog.Remove(Name);
            return;
        }

        await catalog.Upsert(Headline());
        await RolloutBook.ResumeActiveAsync(GrainFactory, state.State, new RolloutStart(Name, state.State.StableRevision, state.State.Revisions[^1].Number));

        if (CapabilitySpecJson.Deserialize(state.State.Revisions[^1].SpecJson).Inputs is not null)
        {
            // An instance that missed the latest revision in a crash catches up now.
            await OfferToInstances(state.State.Revisions[^1].Number);
        }
    }

    private CatalogEntry Headline()
    {
        var s = state.State;
        var latest = s.Revisions[^1];
        return new CatalogEntry
        {
            Name = Name,
            Version = latest.Version,
            LatestRevision = latest.Number,
            StableRevision = s.StableRevision,
            ActiveRollout = s.ActiveRollout,
            Rollouts = [.. s.Rollouts],
            TakesInputs = CapabilitySpecJson.Deserialize(latest.SpecJson).Inputs is not null,
        };
    }
}
