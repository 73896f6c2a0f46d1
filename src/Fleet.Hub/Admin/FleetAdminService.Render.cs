using Fleet.Domain.Rendering;
using Fleet.Domain.Serialization;
using Fleet.Hub.Capabilities;
using Fleet.Hub.Instances;
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
        var revision = request.Revision == 0 ? view.Revision : request.Revision;
        if (!view.Revisions.Contains(revision))
        {
            throw new RpcException(new Status(StatusCode.NotFound,
                $"capability {view.Name} has no revision {revision} (revisions: {string.Join(", ", view.Revisions)})"));
        }

        // The index holds what the target said in its last hello: the labels, facts and driver its grain renders with.
        var entry = (await TargetIndex.ShardFor(grains, target).List()).FirstOrDefault(e => e.Name == target)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"target {target} not found (it has never connected to this hub)"));
        var compiled = await revisions.GetAsync(view.Name, revision)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"capability {view.Name} has no revision {revision}"));
        var inputsJson = "";
        if (!string.IsNullOrEmpty(request.Instance))
        {
            (compiled, inputsJson) = await ForInstance(compiled, view, request.Instance);
        }
        else if (compiled.Spec.Inputs is not null)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"capability {view.Name} takes inputs: render it for one of its instances with --instance NAME"
                + (view.Instances.Count > 0 ? $" (instances: {string.Join(", ", view.Instances)})" : " (it has no instances yet)")));
        }

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
            Desired = DesiredSetMapper.ToMessage(compiled.Render(info, observed)),
        };
    }

    /// <summary>
    /// The revision bound to the instance's inputs as that revision resolves them (its defaults), which is what
    /// the instance's own revision of it renders; inputs that do not fit that revision are refused with every violation.
    /// </summary>
    private async Task<(CompiledCapability Compiled, string InputsJson)> ForInstance(CompiledCapability compiled, CapabilityView capability, string name)
    {
        var instance = await GetInstanceView(name);
        if (instance.Capability != capability.Name)
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"instance {instance.Name} belongs to capability {instance.Capability}, not {capability.Name}"));
        }

        var (inputsJson, violations) = GivenInputs.Resolve(CapabilitySpecJson.Serialize(compiled.Spec), instance.GivenInputsJson);
        if (inputsJson is null)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"instance {instance.Name} does not fit revision {compiled.Revision} of capability {capability.Name}: {string.Join("; ", violations)}"));
        }

        return (compiled.ForInstance(instance.Name, InputValuesJson.Deserialize(inputsJson)), inputsJson);
    }
}
