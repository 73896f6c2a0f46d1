using System.Text;
using Fleet.Domain.Expressions;
using Fleet.Domain.Model;
using LabelSelectorParser = Fleet.Domain.Placement.LabelSelectorParser;
using Fleet.Domain.Rendering;
using Fleet.Domain.Serialization;
using Fleet.Domain.Yaml;
using Fleet.Hub.Capabilities;
using Fleet.Hub.Catalog;
using Fleet.Hub.Index;
using Fleet.Hub.Rendering;
using Fleet.Hub.Rollouts;
using Fleet.Hub.Targets;
using Fleet.Protocol;
using Fleet.Protocol.Admin.V1;
using Grpc.Core;

namespace Fleet.Hub.Admin;

/// <summary>The operator API. It validates input at the boundary and translates; the grains decide.</summary>
internal sealed partial class FleetAdminService(IGrainFactory grains, IExpressionEngine engine, CompiledRevisionCache revisions, TimeProvider time, IServiceProvider services)
    : FleetAdmin.FleetAdminBase
{
    private readonly Domain.Rendering.RenderLimits renderLimits = BudgetedRender.LimitsFrom(services);

    public override async Task<ApplyResponse> Apply(ApplyRequest request, ServerCallContext context)
    {
        RequireDocumentSize(request);
        using var activity = Observability.FleetActivity.Source.StartActivity("fleet.apply");
        var document = Parse(request);
        activity?.SetTag("fleet.kind", document.Kind).SetTag("fleet.name", document.Name).SetTag("fleet.dry_run", request.DryRun);
        var response = new ApplyResponse { Kind = document.Kind, Name = document.Name };
        var errors = await Check(document, null, new PendingDesiredSets(), context.CancellationToken);
        if (errors.Count > 0)
        {
            response.Errors.Add(errors.Select(AdminMapper.ToMessage));
            return response;
        }

        if (request.DryRun)
        {
            return Valid(document);
        }

        var stored = await Store(document);
        activity?.SetTag("fleet.outcome", stored.Outcome).SetTag("fleet.revision", stored.Revision).SetTag("fleet.rollout", stored.RolloutId);
        return stored;
    }

    /// <summary>
    /// Everything the hub checks of one document, without storing anything. <paramref name="defined"/> holds the Capability
    /// documents of the same apply by name: an Instance of one of them is checked against that definition (and not at all
    /// when that definition is itself refused: its own errors say why).
    /// </summary>
    private async Task<IReadOnlyList<Domain.Diagnostics.Diagnostic>> Check(
        ParsedDocument document, IReadOnlyDictionary<string, ParsedDocument>? defined, PendingDesiredSets pending, CancellationToken cancellation)
    {
        if (!document.IsValid)
        {
            return document.Errors;
        }

        if (document.Instance is not null)
        {
            return await CheckInstance(document, defined, pending, cancellation);
        }

        var spec = document.Capability!;
        var conflicts = await CheckAgainstInstances(document, spec);
        if (conflicts.Count > 0)
        {
            return conflicts;
        }

        var current = await grains.GetGrain<ICapabilityGrain>(spec.Name).Get();
        return await Preflight(document, new CapabilityRenderer(engine).Compile(spec, (current?.Revision ?? 0) + 1), pending, cancellation);
    }

    /// <summary>Stores one checked document: a new revision (and its rollout) or "unchanged".</summary>
    private async Task<ApplyResponse> Store(ParsedDocument document)
    {
        if (document.Instance is not null)
        {
            return await StoreInstance(document);
        }

        var spec = document.Capability!;
        var outcome = await grains.GetGrain<ICapabilityGrain>(spec.Name).Apply(CapabilitySpecJson.Serialize(spec));
        return new ApplyResponse
        {
            Kind = "capability",
            Name = spec.Name,
            Revision = outcome.Revision,
            Outcome = outcome.Outcome,
            RolloutId = outcome.RolloutId ?? "",
        };
    }

    private ParsedDocument Parse(ApplyRequest request) =>
        DocumentParser.ParseOne(request.Yaml, string.IsNullOrEmpty(request.Source) ? "<request>" : request.Source, Math.Max(1, request.FirstLine), engine);

    private static ApplyResponse Valid(ParsedDocument document) =>
        new() { Kind = document.Instance is not null ? "instance" : "capability", Name = document.Name, Outcome = "valid" };

    private static void RequireDocumentSize(ApplyRequest request)
    {
        if (Encoding.UTF8.GetByteCount(request.Yaml) > ApplyLimits.MaxDocumentBytes)
        {
            var at = string.IsNullOrEmpty(request.Source) ? "" : $"{request.Source}:{Math.Max(1, request.FirstLine)}: ";
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"{at}document larger than {ApplyLimits.MaxDocumentBytes} bytes"));
        }
    }

    public override async Task<DeleteResponse> Delete(DeleteRequest request, ServerCallContext context)
    {
        if (string.Equals(request.Kind, "instance", StringComparison.OrdinalIgnoreCase))
        {
            return new DeleteResponse { Found = await grains.GetGrain<Instances.IInstanceGrain>(RequireName(request.Name)).Delete() };
        }

        if (!string.Equals(request.Kind, "capability", StringComparison.OrdinalIgnoreCase))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"cannot delete kind '{request.Kind}' (supported: capability, instance)"));
        }

        try
        {
            return new DeleteResponse { Found = await grains.GetGrain<ICapabilityGrain>(RequireName(request.Name)).Delete() };
        }
        catch (InvalidOperationException e)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, e.Message));
        }
    }

    public override async Task<TargetList> ListTargets(ListRequest request, ServerCallContext context)
    {
        var selector = ParseSelector(request.Selector);
        var entries = (await TargetIndex.ListAll(grains)).Where(e => selector.Matches(e.Labels));
        var views = await Task.WhenAll(entries.Select(e => grains.GetGrain<ITargetGrain>(e.Name).Get()));
        var list = new TargetList();
        list.Items.Add(views.OfType<TargetView>().Select(AdminMapper.ToMessage));
        return list;
    }

    public override async Task<Target> GetTarget(GetRequest request, ServerCallContext context)
    {
        var view = await grains.GetGrain<ITargetGrain>(RequireName(request.Name)).Get()
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"target {request.Name} not found"));
        return AdminMapper.ToMessage(view);
    }

    public override async Task<CapabilityList> ListCapabilities(ListRequest request, ServerCallContext context)
    {
        var catalog = await grains.GetGrain<ICatalogGrain>(0).List();
        var counts = await TargetCounts();
        var views = await Task.WhenAll(catalog.Where(c => !DeliveryKeys.IsInstance(c.Name)).Select(c => grains.GetGrain<ICapabilityGrain>(c.Name).Get()));
        var list = new CapabilityList();
        list.Items.Add(views.OfType<CapabilityView>().Select(v => AdminMapper.ToMessage(v, counts.GetValueOrDefault(v.Name))));
        return list;
    }

    public override async Task<Capability> GetCapability(GetRequest request, ServerCallContext context)
    {
        var view = await GetCapabilityView(request.Name);
        var counts = await TargetCounts();
        return AdminMapper.ToMessage(view, counts.GetValueOrDefault(view.Name));
    }

    public override async Task<CapabilityDescription> DescribeCapability(GetRequest request, ServerCallContext context)
    {
        var view = await GetCapabilityView(request.Name);
        var compiled = revisions.Compile(view.SpecJson, view.Revision);
        var entries = await TargetIndex.ListAll(grains);
        var targets = await Task.WhenAll(entries.Select(e => grains.GetGrain<ITargetGrain>(e.Name).Get()));
        var description = new CapabilityDescription
        {
            Capability = AdminMapper.ToMessage(view, entries.Count(e => e.Capabilities.Contains(view.Name))),
            SpecYaml = CapabilitySpecYaml.Serialize(compiled.Spec),
        };
        foreach (var (entry, target) in entries.Zip(targets))
        {
            var decision = compiled.Place(new TargetInfo(entry.Name, entry.Labels, entry.Facts, entry.Driver));
            var running = target?.Capabilities.GetValueOrDefault(view.Name);
            description.Placement.Add(new Protocol.Admin.V1.PlacementDecision
            {
                Target = entry.Name,
                Placed = decision.Placed,
                Reason = decision.Reason,
                Revision = running?.Revision ?? 0,
                State = running is null ? TargetCapabilityState.Unspecified : AdminMapper.ToMessage(running.State),
            });
        }

        return description;
    }

    public override async Task<RolloutList> ListRollouts(ListRequest request, ServerCallContext context)
    {
        var catalog = await grains.GetGrain<ICatalogGrain>(0).List();
        var ids = catalog.SelectMany(c => c.Rollouts).ToList();
        var views = await Task.WhenAll(ids.Select(id => grains.GetGrain<IRolloutGrain>(id).Get()));
        var list = new RolloutList();
        list.Items.Add(views.OfType<RolloutView>().OrderBy(v => v.Created).Select(AdminMapper.ToMessage));
        return list;
    }

    public override async Task<Rollout> GetRollout(GetRequest request, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 200)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "a rollout id is required"));
        }

        var view = await grains.GetGrain<IRolloutGrain>(request.Name).Get()
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"rollout {request.Name} not found"));
        return AdminMapper.ToMessage(view);
    }

    private async Task<CapabilityView> GetCapabilityView(string name) =>
        await grains.GetGrain<ICapabilityGrain>(RequireName(name)).Get()
        ?? throw new RpcException(new Status(StatusCode.NotFound, $"capability {name} not found"));

    /// <summary>
    /// Targets per delivery key, and per capability the targets holding it or any of its instances
    /// (a target with two instances of one capability counts once for it).
    /// </summary>
    private async Task<Dictionary<string, int>> TargetCounts() =>
        (await TargetIndex.ListAll(grains))
            .SelectMany(e => e.Capabilities.Concat(e.Capabilities.Where(DeliveryKeys.IsInstance).Select(k => DeliveryKeys.Split(k).Capability)).Distinct(StringComparer.Ordinal))
            .GroupBy(c => c, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    private static string RequireName(string name) =>
        Domain.Validation.NameRules.IsDns1123Label(name)
            ? name
            : throw new RpcException(new Status(StatusCode.InvalidArgument, $"'{name}' is not a valid name (DNS-1123 label)"));

    private static LabelSelector ParseSelector(string text) =>
        LabelSelectorParser.TryParse(text, out var selector, out var error)
            ? selector
            : throw new RpcException(new Status(StatusCode.InvalidArgument, $"bad label selector: {error}"));
}
