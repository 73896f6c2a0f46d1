using Fleet.Domain.Rendering;
using Fleet.Domain.Serialization;
using Fleet.Hub.Capabilities;
using Fleet.Hub.Instances;
using Fleet.Hub.Rendering;
using Fleet.Hub.Index;
using Fleet.Hub.Targets;
using Fleet.Protocol.Admin.V1;
using Grpc.Core;

namespace Fleet.Hub.Admin;

/// <summary><c>fleet render</c>: a revision rendered for one target, through the same code the target's own grain uses.</summary>
internal sealed partial class FleetAdminService
{
    public override async Task<RenderResult> RenderCapability(RenderRequest request, ServerCallContext context)
    {
        var target = RequireName(request.Target);
        var view = await GetCapabilityView(request.Capability);
        var (compiled, revision, inputsJson) = string.IsNullOrEmpty(request.Instance)
            ? await CapabilityRevision(view, request.Revision)
            : await InstanceRevision(view, request.Instance, request.Revision);

        // The index holds what the target said in its last hello: the labels, facts and driver its grain renders with.
        var entry = (await TargetIndex.ShardFor(grains, target).List()).FirstOrDefault(e => e.Name == target)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"target {target} not found (it has never connected to this hub)"));
        var info = new TargetInfo(entry.Name, entry.Labels, entry.Facts, entry.Driver);
        var placement = compiled.Place(info);
        // Resources that read others' observed state render from what this target reported, as its grain renders them.
        var observed = compiled.ReferencedIds.Count == 0
            ? null
            : ObservedStates.For(compiled, await grains.GetGrain<ITargetGrain>(entry.Name).ReportedResources(compiled.Key));
        return new RenderResult
        {
            Instance = request.Instance,
            InputsJson = inputsJson,
            Capability = view.Name,
            Target = entry.Name,
            Revision = revision,
            Version = compiled.Spec.Version,
            Driver = entry.Driver,
            Placed = placement.Placed,
            PlacementReason = placement.Reason,
            // Off the request thread and within the render budget; a caller that gives up stops the render with it.
            Desired = DesiredSetMapper.ToMessage(await BudgetedRender.RunAsync(compiled, info, observed, renderLimits, time, context.CancellationToken)),
        };
    }

    /// <summary>A revision of a capability without inputs (0: the latest); one with inputs is rendered per instance.</summary>
    private async Task<(CompiledCapability Compiled, long Revision, string InputsJson)> CapabilityRevision(CapabilityView view, long requested)
    {
        var revision = requested == 0 ? view.Revision : requested;
        if (!view.Revisions.Contains(revision))
        {
            throw new RpcException(new Status(StatusCode.NotFound,
                $"capability {view.Name} has no revision {revision} (revisions: {string.Join(", ", view.Revisions)})"));
        }

        var compiled = await revisions.GetAsync(view.Name, revision)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"capability {view.Name} has no revision {revision}"));
        if (compiled.Spec.Inputs is not null)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"capability {view.Name} takes inputs: render it for one of its instances with --instance NAME"
                + (view.Instances.Count > 0 ? $" (instances: {string.Join(", ", view.Instances)})" : " (it has no instances yet)")));
        }

        return (compiled, revision, "");
    }

    /// <summary>
    /// A revision of an instance (0: its latest), exactly as its rollouts deliver it: a capability revision with the
    /// inputs resolved against that revision when the instance revision was made.
    /// </summary>
    private async Task<(CompiledCapability Compiled, long Revision, string InputsJson)> InstanceRevision(CapabilityView capability, string name, long requested)
    {
        var instance = await GetInstanceView(name);
        if (instance.Capability != capability.Name)
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"instance {instance.Name} belongs to capability {instance.Capability}, not {capability.Name}"));
        }

        var revision = requested == 0 ? instance.Revision : requested;
        var stored = instance.Revisions.Contains(revision) ? await grains.GetGrain<IInstanceGrain>(instance.Name).GetRevision(revision) : null;
        var compiled = stored is null ? null : await revisions.GetAsync(instance.Key, revision);
        if (stored is null || compiled is null)
        {
            throw new RpcException(new Status(StatusCode.NotFound,
                $"instance {instance.Name} has no revision {revision} (revisions: {string.Join(", ", instance.Revisions)})"));
        }

        return (compiled, revision, stored.InputsJson);
    }
}
