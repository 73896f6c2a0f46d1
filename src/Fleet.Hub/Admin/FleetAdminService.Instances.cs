using Fleet.Domain.Inputs;
using Fleet.Domain.Serialization;
using Fleet.Domain.Yaml;
using Fleet.Hub.Capabilities;
using Fleet.Hub.Catalog;
using Fleet.Hub.Instances;
using Fleet.Hub.Rollouts;
using Fleet.Protocol.Admin.V1;
using Grpc.Core;

namespace Fleet.Hub.Admin;

/// <summary>Instances: applying one (checked against its capability's schema), listing, and what rollouts and rendering deliver.</summary>
internal sealed partial class FleetAdminService
{
    public override async Task<InstanceList> ListInstances(ListRequest request, ServerCallContext context)
    {
        if (!string.IsNullOrWhiteSpace(request.Selector))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "instances have no labels: a label selector does not apply to them"));
        }

        var catalog = await grains.GetGrain<ICatalogGrain>(0).List();
        var counts = await TargetCounts();
        var views = await Task.WhenAll(catalog
            .Where(c => DeliveryKeys.IsInstance(c.Name))
            .Select(c => grains.GetGrain<IInstanceGrain>(DeliveryKeys.Split(c.Name).Instance!).Get()));
        var list = new InstanceList();
        list.Items.Add(views.OfType<InstanceView>().OrderBy(v => v.Name, StringComparer.Ordinal).Select(v => AdminMapper.ToMessage(v, counts.GetValueOrDefault(v.Key))));
        return list;
    }

    public override async Task<Instance> GetInstance(GetRequest request, ServerCallContext context)
    {
        var view = await GetInstanceView(request.Name);
        var counts = await TargetCounts();
        return AdminMapper.ToMessage(view, counts.GetValueOrDefault(view.Key));
    }

    private async Task<IReadOnlyList<Domain.Diagnostics.Diagnostic>> CheckInstance(
        ParsedDocument document, IReadOnlyDictionary<string, ParsedDocument>? defined, PendingDesiredSets pending, CancellationToken cancellation)
    {
        var instance = document.Instance!;
        var capability = await grains.GetGrain<ICapabilityGrain>(instance.Capability).Get();
        Domain.Model.CapabilitySpec? spec;
        long revision;
        if (defined is not null && defined.TryGetValue(instance.Capability, out var local))
        {
            if (!local.IsValid)
            {
                return [];
            }

            // Defined in the same apply: checked against that definition, which is stored before this instance.
            spec = local.Capability;
            revision = (capability?.Revision ?? 0) + 1;
        }
        else
        {
            spec = capability is null ? null : CapabilitySpecJson.Deserialize(capability.SpecJson);
            revision = capability?.Revision ?? 0;
        }

        var check = InstanceInputs.Check(document, spec);
        var existing = await grains.GetGrain<IInstanceGrain>(instance.Name).Get();
        if (existing is not null && existing.Capability != instance.Capability)
        {
            // An instance keeps its capability for life: moving it would take it off targets under one key and on under another.
            check = check with
            {
                Errors = [.. check.Errors, new Domain.Diagnostics.Diagnostic(document.Source, LineOf(document, "capability:"), 1, "spec.capability",
                    $"instance {instance.Name} belongs to capability {existing.Capability}; to move it, delete it (fleet delete instance {instance.Name}) and apply it again")],
            };
        }

        if (check.Errors.Count > 0)
        {
            return check.Errors;
        }

        // Rendered with these inputs for the targets it would reach, as a capability is when applied.
        var compiled = new Domain.Rendering.CapabilityRenderer(engine).Compile(spec!, revision).ForInstance(instance.Name, check.Resolved!, (existing?.Revision ?? 0) + 1);
        return await Preflight(document, compiled, pending, cancellation);
    }

    private async Task<ApplyResponse> StoreInstance(ParsedDocument document)
    {
        var instance = document.Instance!;
        try
        {
            var outcome = await grains.GetGrain<IInstanceGrain>(instance.Name).Apply(instance.Capability, InputValuesJson.Serialize(instance.Inputs));
            return new ApplyResponse
            {
                Kind = "instance",
                Name = instance.Name,
                Revision = outcome.Revision,
                Outcome = outcome.Outcome,
                RolloutId = outcome.RolloutId ?? "",
            };
        }
        catch (ArgumentException e)
        {
            // Another operator changed the capability between our check and the grain's; nothing was stored.
            throw new RpcException(new Status(StatusCode.FailedPrecondition, e.Message));
        }
    }

    private async Task<InstanceView> GetInstanceView(string name) =>
        await grains.GetGrain<IInstanceGrain>(RequireName(name)).Get()
        ?? throw new RpcException(new Status(StatusCode.NotFound, $"instance {name} not found"));

    /// <summary>
    /// What a rollout command names: a capability without inputs, or "capability/instance". A capability that
    /// takes inputs is delivered per instance, so naming it alone is refused with its instances listed.
    /// </summary>
    private async Task<Deliverable> GetDeliverable(string name)
    {
        var (capabilityName, instanceName) = DeliveryKeys.Split(name ?? "");
        var capability = await GetCapabilityView(capabilityName);
        if (instanceName is null)
        {
            if (CapabilitySpecJson.Deserialize(capability.SpecJson).Inputs is not null)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument,
                    $"capability {capability.Name} takes inputs and is delivered per instance: name one as {capability.Name}/INSTANCE"
                    + (capability.Instances.Count > 0 ? $" (instances: {string.Join(", ", capability.Instances)})" : " (it has no instances yet)")));
            }

            return new Deliverable(capability.Name, capability.Name, null, capability.Revision, capability.StableRevision, capability.Revisions);
        }

        var instance = await GetInstanceView(instanceName);
        if (instance.Capability != capability.Name)
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"instance {instance.Name} belongs to capability {instance.Capability}, not {capability.Name}"));
        }

        return new Deliverable(instance.Key, capability.Name, instance.Name, instance.Revision, instance.StableRevision, instance.Revisions);
    }

    /// <summary>
    /// A capability keeps the same way of delivery for its life: one with instances must keep inputs that fit them
    /// all, and switching between delivering to every target and delivering per instance is refused.
    /// </summary>
    private async Task<IReadOnlyList<Domain.Diagnostics.Diagnostic>> CheckAgainstInstances(ParsedDocument document, Domain.Model.CapabilitySpec spec)
    {
        var current = await grains.GetGrain<ICapabilityGrain>(spec.Name).Get();
        if (current is null)
        {
            return [];
        }

        var at = new Domain.Diagnostics.Diagnostic(document.Source, LineOf(document, "inputs:"), 1, "spec.inputs", "");
        if (Domain.Inputs.DeliveryMode.RefuseChange(CapabilitySpecJson.Deserialize(current.SpecJson), spec) is { } refusal)
        {
            return [at with { Message = refusal }];
        }

        var errors = new List<Domain.Diagnostics.Diagnostic>();
        // The new revision's rules over inputs hold for every stored Instance too, or none of them is stored.
        var compiled = spec.Validations.Any(v => v.Rule is not null) ? new Domain.Rendering.CapabilityRenderer(engine).Compile(spec, current.Revision + 1) : null;
        foreach (var name in current.Instances)
        {
            if (await grains.GetGrain<IInstanceGrain>(name).Get() is not { } instance)
            {
                continue;
            }

            var (resolved, violations) = GivenInputs.Resolve(CapabilitySpecJson.Serialize(spec), instance.GivenInputsJson);
            errors.AddRange(violations.Select(v => at with { Message = $"instance {name} would not fit the new inputs: {v}" }));
            if (compiled is not null && resolved is not null)
            {
                errors.AddRange(compiled.ForInstance(name, InputValuesJson.Deserialize(resolved)).InputViolations().Select(v => Violation(document, v, name)));
            }
        }

        return errors;
    }

    /// <summary>The line in the file of the first line of <paramref name="document"/> that starts with <paramref name="field"/> (else its first line).</summary>
    private static int LineOf(ParsedDocument document, string field)
    {
        var lines = document.Text.Split('\n');
        var index = Array.FindIndex(lines, l => l.TrimStart().StartsWith(field, StringComparison.Ordinal));
        return document.Line + Math.Max(0, index);
    }

    private sealed record Deliverable(string Key, string Capability, string? Instance, long Latest, long Stable, IReadOnlyList<long> Revisions);
}
