using Fleet.Domain.Model;
using Fleet.Domain.Rendering;
using Fleet.Domain.Rollouts;
using Fleet.Domain.Serialization;
using Fleet.Domain.Yaml;
using Fleet.Hub.Capabilities;
using Fleet.Hub.Index;
using Fleet.Hub.Instances;
using Fleet.Hub.Rollouts;
using Fleet.Hub.Targets;
using Fleet.Protocol.Admin.V1;
using Grpc.Core;

namespace Fleet.Hub.Admin;

/// <summary>The rollout operations: start, plan (dry run), pause, resume, abort, approve, undo.</summary>
internal sealed partial class FleetAdminService
{
    public override async Task<Rollout> StartRollout(StartRolloutRequest request, ServerCallContext context)
    {
        var overrides = StrategyOverride(request);
        var deliverable = await GetDeliverable(request.Capability);
        var strategyJson = overrides is null ? null : RolloutStrategyJson.Serialize(overrides);
        try
        {
            var id = deliverable.Instance is { } instance
                ? await grains.GetGrain<IInstanceGrain>(instance).StartRollout(request.Revision, strategyJson)
                : await grains.GetGrain<ICapabilityGrain>(deliverable.Capability).StartRollout(request.Revision, strategyJson);
            return await GetRolloutMessage(id);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, e.Message));
        }
    }

    public override async Task<RolloutPlan> PlanRollout(StartRolloutRequest request, ServerCallContext context)
    {
        var overrides = StrategyOverride(request);
        var view = await GetDeliverable(request.Capability);
        var revision = request.Revision == 0 ? view.Latest : request.Revision;
        if (!view.Revisions.Contains(revision))
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"{view.Key} has no revision {revision}"));
        }

        var compiled = await revisions.GetAsync(view.Key, revision)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"{view.Key} has no revision {revision}"));
        var strategy = ResolvedRolloutStrategy.Resolve(overrides, compiled.Spec.Rollout);
        var entries = await TargetIndex.ListAll(grains);
        var targets = await Task.WhenAll(entries.Select(e => grains.GetGrain<ITargetGrain>(e.Name).Get()));
        var candidates = entries.Zip(targets).Select(pair =>
        {
            var (entry, target) = pair;
            var current = target?.Capabilities.GetValueOrDefault(view.Key);
            return new PlanCandidate(
                entry.Name,
                entry.Labels,
                compiled.Place(new TargetInfo(entry.Name, entry.Labels, entry.Facts, entry.Driver)),
                current is null || current.State == Domain.Targets.TargetCapabilityState.Removing ? 0 : current.DesiredRevision,
                target?.Connected ?? false);
        });
        var preview = RolloutPlanner.Preview(strategy, candidates, revision);
        var plan = new RolloutPlan
        {
            Capability = view.Key,
            FromRevision = view.Stable,
            ToRevision = revision,
            Window = strategy.Window is { } w ? $"{w.Schedule} for {w.DurationMinutes} min ({w.TimeZone})" : "",
            StrategyYaml = RolloutStrategyJson.Serialize(overrides ?? new RolloutStrategySpec()),
        };
        foreach (var wave in preview.Waves)
        {
            var message = new Protocol.Admin.V1.PlannedWave { Name = wave.Name, MaxUnavailable = wave.MaxUnavailable, SoakSeconds = wave.SoakSeconds, Approval = wave.Approval };
            message.Targets.Add(wave.Targets.Select(ToMessage));
            plan.Waves.Add(message);
        }

        plan.Excluded.Add(preview.Excluded.Select(ToMessage));
        return plan;
    }

    public override Task<Rollout> PauseRollout(GetRequest request, ServerCallContext context) => Control(request, g => g.Pause());

    public override Task<Rollout> ResumeRollout(GetRequest request, ServerCallContext context) => Control(request, g => g.Resume());

    public override Task<Rollout> AbortRollout(GetRequest request, ServerCallContext context) => Control(request, g => g.Abort());

    public override Task<Rollout> ApproveRollout(GetRequest request, ServerCallContext context) => Control(request, g => g.Approve());

    public override async Task<Rollout> UndoRollout(GetRequest request, ServerCallContext context)
    {
        var deliverable = await GetDeliverable(request.Name);
        try
        {
            return await GetRolloutMessage(deliverable.Instance is { } instance
                ? await grains.GetGrain<IInstanceGrain>(instance).Undo()
                : await grains.GetGrain<ICapabilityGrain>(deliverable.Capability).Undo());
        }
        catch (InvalidOperationException e)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, e.Message));
        }
    }

    private async Task<Rollout> Control(GetRequest request, Func<IRolloutGrain, Task<RolloutView?>> action)
    {
        var id = RequireRolloutId(request.Name);
        var view = await action(grains.GetGrain<IRolloutGrain>(id))
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"rollout {id} not found"));
        return AdminMapper.ToMessage(view);
    }

    private async Task<Rollout> GetRolloutMessage(string id) =>
        AdminMapper.ToMessage(await grains.GetGrain<IRolloutGrain>(id).Get()
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"rollout {id} not found")));

    /// <summary>The strategy file of the request with --max-unavailable over it; null when neither was given.</summary>
    private RolloutStrategySpec? StrategyOverride(StartRolloutRequest request)
    {
        RolloutStrategySpec? strategy = null;
        if (!string.IsNullOrWhiteSpace(request.StrategyYaml))
        {
            var source = string.IsNullOrEmpty(request.StrategySource) ? "<strategy>" : request.StrategySource;
            var (parsed, errors) = DocumentParser.ParseStrategy(request.StrategyYaml, source, engine);
            if (parsed is null || errors.Count > 0)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, string.Join("\n", errors.Select(e => e.ToString()))));
            }

            strategy = parsed;
        }

        if (!string.IsNullOrEmpty(request.MaxUnavailable))
        {
            if (!IntOrPercent.TryParse(request.MaxUnavailable, out var max) || max.Value < 1)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument,
                    $"--max-unavailable: '{request.MaxUnavailable}' is not a count of at least 1 or a percentage from 1% to 100%"));
            }

            strategy = (strategy ?? new RolloutStrategySpec()) with { MaxUnavailable = max };
        }

        return strategy;
    }

    private static string RequireRolloutId(string id) =>
        !string.IsNullOrWhiteSpace(id) && id.Length <= 200
            ? id
            : throw new RpcException(new Status(StatusCode.InvalidArgument, "a rollout id is required"));

    private static Protocol.Admin.V1.PlannedTarget ToMessage(Domain.Rollouts.PlannedTarget t) => new()
    {
        Name = t.Name,
        Action = t.Action == RolloutAction.Remove ? "remove" : "update",
        Change = t.Change,
        Reason = t.Reason,
        CurrentRevision = t.CurrentRevision,
        Connected = t.Connected,
    };
}
