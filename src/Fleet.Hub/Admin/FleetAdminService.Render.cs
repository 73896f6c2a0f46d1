using Fleet.Domain.Rendering;
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
        var info = new TargetInfo(entry.Name, entry.Labels, entry.Facts, entry.Driver);
        var placement = compiled.Place(info);
        return new RenderResult
        {
            Capability = view.Name,
            Target = entry.Name,
            Revision = revision,
            Version = compiled.Spec.Version,
            Driver = entry.Driver,
            Placed = placement.Placed,
            PlacementReason = placement.Reason,
            Desired = DesiredSetMapper.ToMessage(compiled.Render(info)),
        };
    }
}
