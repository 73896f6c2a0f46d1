using Fleet.Domain.Model;
using Fleet.Domain.Rollouts;
using Fleet.Domain.Serialization;
using Fleet.Hub.Catalog;
using Fleet.Hub.Index;
using Fleet.Hub.Rollouts;
using Fleet.Hub.Targets;

namespace Fleet.Hub.Capabilities;

/// <summary>
/// Holds a capability's revisions. Every write follows one order — catalog intent, own state, catalog
/// headline, then rollouts — so that <see cref="Recover"/> can always repair what a crash interrupted.
/// </summary>
internal sealed partial class CapabilityGrain(
    [PersistentState("capability", "fleet")] IPersistentState<CapabilityGrainState> state,
    TimeProvider time,
    ILogger<CapabilityGrain> logger) : Grain, ICapabilityGrain
{
    private const int RolloutHistory = 50;

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
            await catalog.Upsert(new CatalogEntry { Name = Name, Version = spec.Version, LatestRevision = s.Revisions.LastOrDefault()?.Number ?? 0 });
            s.Created = now;
        }

        s.Deleted = false;
        s.Revisions.Add(new CapabilityRevision { Number = revision, SpecJson = canonical, Hash = hash, Version = spec.Version, Created = now });
        string? rolloutId = null;
        if (ResolvedRolloutStrategy.Resolve(spec.Rollout).Trigger == RolloutTrigger.Auto)
        {
            // One write holds the revision and the rollout that delivers it: a crash cannot keep one without the other.
            rolloutId = await BeginRollout(new RolloutStart(Name, s.StableRevision, revision));
        }
        else
        {
            await state.WriteStateAsync();
            await catalog.Upsert(Headline());
        }

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

        var active = s.ActiveRollout;
        s.Deleted = true;
        s.ActiveRollout = null;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<ICatalogGrain>(0).Remove(Name);
        if (active is not null)
        {
            await GrainFactory.GetGrain<IRolloutGrain>(active).Supersede("(capability deleted)");
        }

        await RemoveFromTargets();
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
        });
    }

    public async Task OnRolloutFinished(string rolloutId, string phase, long stableRevision)
    {
        var s = state.State;
        if (s.Deleted)
        {
            return;
        }

        var changed = false;
        if (stableRevision > 0 && s.StableRevision != stableRevision && (s.ActiveRollout is null || s.ActiveRollout == rolloutId))
        {
            s.StableRevision = stableRevision;
            changed = true;
        }

        if (s.ActiveRollout == rolloutId && Enum.TryParse<RolloutPhase>(phase, out var p) && p.IsTerminal())
        {
            s.ActiveRollout = null;
            changed = true;
        }

        if (changed)
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

        var target = revision == 0 ? s.Revisions[^1].Number : revision;
        if (s.Revisions.All(r => r.Number != target))
        {
            throw new ArgumentException($"capability {Name} has no revision {revision} (revisions: {string.Join(", ", s.Revisions.Select(r => r.Number))})");
        }

        return await BeginRollout(new RolloutStart(Name, s.StableRevision, target, strategyOverrideJson));
    }

    public async Task<string> Undo()
    {
        // The latest forward rollout that changed any target and has not been undone yet; rollouts that
        // changed nothing (every target was already there) are passed over, as is anything already undone.
        var undone = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in Enumerable.Reverse(state.State.Rollouts))
        {
            var rollout = GrainFactory.GetGrain<IRolloutGrain>(id);
            if (await rollout.Get() is not { } view || undone.Contains(id))
            {
                continue;
            }

            if (view.UndoOf is { } of)
            {
                undone.Add(of);
                continue;
            }

            var changed = await rollout.ChangedTargets();
            if (changed.Count > 0)
            {
                return await BeginRollout(new RolloutStart(Name, view.ToRevision, view.FromRevision, null, changed, id));
            }
        }

        throw new InvalidOperationException($"capability {Name} has no rollout left to undo: none changed a target, or each was undone already");
    }

    /// <summary>Records the new rollout as the active one (superseding the old), persists, then starts it.</summary>
    private async Task<string> BeginRollout(RolloutStart start)
    {
        var s = state.State;
        var superseded = s.ActiveRollout;
        var rolloutId = $"{Name}-{++s.RolloutCounter}";
        s.ActiveRollout = rolloutId;
        s.Rollouts.Add(rolloutId);
        if (s.Rollouts.Count > RolloutHistory)
        {
            s.Rollouts.RemoveRange(0, s.Rollouts.Count - RolloutHistory);
        }

        s.PendingStart = start;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<ICatalogGrain>(0).Upsert(Headline());
        if (superseded is not null)
        {
            await GrainFactory.GetGrain<IRolloutGrain>(superseded).Supersede(rolloutId);
        }

        await GrainFactory.GetGrain<IRolloutGrain>(rolloutId).Start(start);
        return rolloutId;
    }

    public async Task Recover()
    {
        var catalog = GrainFactory.GetGrain<ICatalogGrain>(0);
        if (state.State.Revisions.Count == 0 || state.State.Deleted)
        {
            await catalog.Remove(Name);
            return;
        }

        await catalog.Upsert(Headline());
        if (state.State.ActiveRollout is not null)
        {
            await StartActiveRollout();
        }
    }

    private Task StartActiveRollout()
    {
        var s = state.State;
        return GrainFactory.GetGrain<IRolloutGrain>(s.ActiveRollout!)
            .Start(s.PendingStart ?? new RolloutStart(Name, s.StableRevision, s.Revisions[^1].Number));
    }

    private async Task RemoveFromTargets()
    {
        var holders = (await TargetIndex.ListAll(GrainFactory)).Where(e => e.Capabilities.Contains(Name));
        await Task.WhenAll(holders.Select(e => GrainFactory.GetGrain<ITargetGrain>(e.Name).Unassign(Name, null)));
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
        };
    }
}
