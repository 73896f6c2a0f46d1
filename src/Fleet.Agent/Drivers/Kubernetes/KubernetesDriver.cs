using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Fleet.Agent.Drivers.Pipeline;
using Fleet.Domain.Expressions;
using Fleet.Protocol.Agent.V1;

namespace Fleet.Agent.Drivers.Kubernetes;

/// <summary>
/// Applies <c>manifest</c> resources to a cluster with server-side apply under one stable field manager.
/// Objects are applied in dependency order, each once what it depends on is ready, and namespaces and CRDs first
/// where the dependencies leave a choice (what others need); kinds are mapped to REST resources by discovery,
/// readiness comes from <c>readyWhen</c> or built-in rules, and every object is recorded in an inventory and labelled
/// with its owner before it is applied: pruning deletes only what both the inventory and the object's label say is
/// this capability's, never by guessing, and dependents before what they depend on. The converge, removal and drift
/// skeleton is the <see cref="ConvergingDriver{TEntry, TPass}"/> pipeline's; this is its hooks.
/// </summary>
internal sealed partial class KubernetesDriver : ConvergingDriver<AppliedObject, KubernetesPass>
{
    /// <summary>The inventory's file in the state directory.</summary>
    public const string InventoryFileName = "kubernetes-inventory.json";

    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    /// <summary>The owning capability key as a label value (<see cref="OwnerOf"/>): what pruning lists by.</summary>
    public const string OwnerLabel = "fleet.dev/capability";

    /// <summary>The exact capability key; the label may be shortened, so pruning checks this too.</summary>
    public const string CapabilityAnnotation = "fleet.dev/capability-key";

    /// <summary>The resource id within the capability that this object is.</summary>
    public const string ResourceAnnotation = "fleet.dev/resource";

    private readonly KubernetesApi _api;
    private readonly ResourceDiscovery _discovery;
    private readonly KubernetesDriverOptions _options;
    private readonly IExpressionEngine _engine;
    private readonly ILogger<KubernetesDriver> _logger;

    // Resources found drifted by the last drift detection: the next converge re-applies them with force.
    private readonly HashSet<(string Key, string Id)> _drifted = [];

    public KubernetesDriver(KubernetesApi api, string stateDirectory, KubernetesDriverOptions options, IExpressionEngine engine, ILogger<KubernetesDriver> logger)
        : base("kubernetes", stateDirectory, InventoryFileName, "objects", InventoryJsonContext.Default.KubernetesInventory, TimeProvider.System, logger)
    {
        _api = api;
        _discovery = new ResourceDiscovery(api);
        _options = options;
        _engine = engine;
        _logger = logger;
    }

    /// <summary>
    /// The owner label value of a capability key, readable where it fits: <c>motd</c>, <c>motd.team-a</c> for
    /// <c>motd/team-a</c> (names are DNS-1123 labels, so they hold no '.' and the mapping is one to one). A key too
    /// long for a label value (63) is cut and given a hash of the whole key, so two long keys never share a label.
    /// </summary>
    public static string OwnerOf(string key)
    {
        var value = key.Replace('/', '.');
        if (value.Length <= 63 && LabelValue().IsMatch(value))
        {
            return value;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12];
        var prefix = NotLabelCharacter().Replace(value, "-")[..Math.Min(value.Length, 50)].Trim('-', '.', '_');
        return prefix.Length == 0 ? "h-" + hash : $"{prefix}-{hash}";
    }

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    [GeneratedRegex("[^-A-Za-z0-9_.]")]
    private static partial Regex NotLabelCharacter();

    protected override Resource.KindOneofCase Kind => Resource.KindOneofCase.Manifest;

    protected override KubernetesPass BeginPass(DesiredCapability desired)
    {
        var pass = new KubernetesPass(desired);
        foreach (var resource in desired.Resources)
        {
            // An awaiting resource has no manifest yet, which is no error: the gate holds it (and its order preference
            // is unknown until it is rendered, so it takes the default one).
            pass.Parsed[resource] = resource.Awaiting.Length > 0 ? (null, null) : (Parse(resource, out var error), error);
        }

        pass.DefinedHere = DefinedKinds(pass.Parsed.Values.Select(p => p.Manifest).OfType<JsonObject>());
        return pass;
    }

    protected override int Preference(KubernetesPass pass, Resource resource) => Priority(pass.Parsed[resource].Manifest);

    protected override string? Refuse(KubernetesPass pass, Resource resource) => pass.Parsed[resource].Error;

    // Not awaiting and parsed without error (else the pipeline held or refused it): it has a manifest.
    protected override Task<ResourceReport> ApplyAsync(KubernetesPass pass, Resource resource, CancellationToken cancellationToken) =>
        ApplyAsync(pass.Key, pass.Record, resource, pass.Parsed[resource].Manifest!, pass.KeptEntries, pass.DefinedHere, cancellationToken);

    protected override async Task<ResourceReport?> DetectDriftAsync(DesiredCapability desired, InventoryRecord<AppliedObject> record, Resource resource, CancellationToken cancellationToken)
    {
        if (record.Entries.Find(o => o.Id == resource.Id && o.Hash == resource.Hash) is not { } applied
            || Parse(resource, out _) is not { } manifest)
        {
            return null;
        }

        string? difference;
        try
        {
            var api = await _discovery.FindAsync(applied.ApiVersion, applied.Kind, cancellationToken);
            var live = api is null ? null : await _api.GetAsync(api.Object(applied.Namespace, applied.Name), cancellationToken);
            difference = live is null ? "deleted from the cluster" : Difference(Stamp(manifest, desired.Key, resource.Id, api!), live, "");
        }
        catch (Exception e) when (IsApiFailure(e, cancellationToken))
        {
            // The cluster is unreachable: nothing can be said about drift now; the converge reports the error.
            return null;
        }

        if (difference is null)
        {
            return null;
        }

        LogDrifted(desired.Key, resource.Id, difference);
        _drifted.Add((desired.Key, resource.Id));
        return Report(resource, ResourceState.Drifted, $"{applied.Kind} {Display(applied)}: {difference}");
    }

    protected override string Waiting(AppliedObject entry, string dependent) =>
        $"{entry.Id}: {entry.Kind} {Display(entry)} not deleted yet: {dependent} depends on it and is still there";

    private async Task<ResourceReport> ApplyAsync(
        string key,
        InventoryRecord<AppliedObject> record,
        Resource resource,
        JsonObject manifest,
        HashSet<AppliedObject> kept,
        HashSet<(string Group, string Kind)> definedHere,
        CancellationToken cancellationToken)
    {
        var apiVersion = manifest["apiVersion"]!.GetValue<string>();
        var kind = manifest["kind"]!.GetValue<string>();
        ApiResource? api;
        try
        {
            api = await _discovery.FindAsync(apiVersion, kind, cancellationToken);
        }
        catch (Exception e) when (IsApiFailure(e, cancellationToken))
        {
            return Report(resource, ResourceState.Failed, $"discovery of {apiVersion}: {e.Message}");
        }

        if (api is null)
        {
            // An API server serves a new CRD's kind only once the CRD is established, a moment after it is applied:
            // for a kind this capability defines itself, that is a wait (re-checked shortly), not a failure.
            return definedHere.Contains((Group(apiVersion), kind))
                ? Report(resource, ResourceState.Applying, $"waiting: the cluster does not serve {kind} in {apiVersion} yet (its CustomResourceDefinition is applied)")
                : Report(resource, ResourceState.Failed, $"the cluster serves no kind {kind} in {apiVersion}");
        }

        var stamped = Stamp(manifest, key, resource.Id, api);
        var ns = api.Namespaced ? stamped["metadata"]!["namespace"]!.GetValue<string>() : null;
        var name = stamped["metadata"]!["name"]!.GetValue<string>();

        // Recorded (and labelled) before it exists, so no crash can leave an object that nothing would prune.
        var applied = record.Entries.Find(o => o.Id == resource.Id && o.ApiVersion == apiVersion && o.Kind == kind && o.Namespace == ns && o.Name == name);
        var sameAsApplied = applied?.Hash == resource.Hash;
        if (applied is null)
        {
            applied = new AppliedObject { Id = resource.Id, ApiVersion = apiVersion, Kind = kind, Namespace = ns, Name = name };
            record.Entries.Add(applied);
        }

        applied.Hash = resource.Hash;
        applied.DependsOn = [.. resource.DependsOn];
        kept.Add(applied);
        if (TrySave() is { } saveError)
        {
            return Report(resource, ResourceState.Failed, saveError);
        }

        var force = _options.ForceConflicts || (sameAsApplied && _drifted.Remove((key, resource.Id)));
        JsonObject live;
        try
        {
            live = await _api.ApplyAsync(api.Object(ns, name), stamped.ToJsonString(), _options.FieldManager, force, cancellationToken);
        }
        catch (KubernetesApiException e) when (e.Status == HttpStatusCode.Conflict)
        {
            return Report(resource, ResourceState.Failed, $"conflict applying {kind} {Display(ns, name)}: {e.Message} (fields owned by another manager; the agent takes them only with --force-conflicts)");
        }
        catch (Exception e) when (IsApiFailure(e, cancellationToken))
        {
            return Report(resource, ResourceState.Failed, $"applying {kind} {Display(ns, name)}: {e.Message}");
        }

        var readyWhen = resource.Manifest.ReadyWhen;
        var (state, message) = Readiness.Evaluate(live, readyWhen, _engine);
        LogApplied(key, resource.Id, kind, ns, name, state.ToString(), message);
        return ObservedState.Attach(Report(resource, state, message), ObservedObject.From(live));
    }

    /// <summary>Deletes one recorded object if the cluster says it is ours; returns the failure, or null once it is gone from the cluster or was never ours.</summary>
    protected override async Task<string?> DeleteAsync(string key, AppliedObject applied, CancellationToken cancellationToken)
    {
        try
        {
            var api = await _discovery.FindAsync(applied.ApiVersion, applied.Kind, cancellationToken);
            if (api is not null)
            {
                // Only what the API server lists under our owner label is ours to delete: the label is the
                // object's own word, the inventory ours; both must agree.
                var list = await _api.ListAsync(api.Collection(applied.Namespace), $"{OwnerLabel}={OwnerOf(key)}", cancellationToken);
                var ours = (list["items"] as JsonArray ?? []).OfType<JsonObject>().Any(item => IsOurs(item, key, applied));
                if (ours)
                {
                    await _api.DeleteAsync(api.Object(applied.Namespace, applied.Name), cancellationToken);
                    LogDeleted(key, applied.Id, applied.Kind, applied.Namespace, applied.Name);
                }
                else if (await _api.GetAsync(api.Object(applied.Namespace, applied.Name), cancellationToken) is not null)
                {
                    LogNotOurs(key, applied.Kind, applied.Namespace, applied.Name);
                }
            }

            return null;
        }
        catch (Exception e) when (IsApiFailure(e, cancellationToken))
        {
            // Kept in the inventory: the next pass tries again.
            return $"{applied.Id}: deleting {applied.Kind} {Display(applied)}: {e.Message}";
        }
    }

    /// <summary>The (group, kind) pairs that the CustomResourceDefinitions among <paramref name="manifests"/> define.</summary>
    private static HashSet<(string Group, string Kind)> DefinedKinds(IEnumerable<JsonObject> manifests)
    {
        var kinds = new HashSet<(string Group, string Kind)>();
        foreach (var crd in manifests.Where(m => Text(m["kind"]) == "CustomResourceDefinition"))
        {
            if (Text(crd["spec"]?["group"]) is { } group && Text(crd["spec"]?["names"]?["kind"]) is { } kind)
            {
                kinds.Add((group, kind));
            }
        }

        return kinds;
    }

    /// <summary>The API group of an apiVersion: <c>apps</c> of <c>apps/v1</c>, empty for the core <c>v1</c>.</summary>
    private static string Group(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? "" : apiVersion[..slash];
    }

    /// <summary>
    /// Whether a listed object is exactly this inventory entry: same name, and its annotations name this capability
    /// key and this resource id (an object a later revision moved to another resource id is not pruned under the old one).
    /// </summary>
    private static bool IsOurs(JsonObject item, string key, AppliedObject applied) =>
        item["metadata"] is JsonObject metadata
        && Text(metadata["name"]) == applied.Name
        && Text(metadata["annotations"]?[CapabilityAnnotation]) == key
        && Text(metadata["annotations"]?[ResourceAnnotation]) == applied.Id;

    /// <summary>
    /// What the cluster or the way to it did wrong (an error status, no connection, a request timeout): reported per
    /// resource. The loop's own cancellation is not one of them and propagates.
    /// </summary>
    private static bool IsApiFailure(Exception e, CancellationToken cancellationToken) =>
        e is KubernetesApiException or HttpRequestException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>The manifest with the driver's owner label and annotations, and the default namespace where it needs one.</summary>
    private JsonObject Stamp(JsonObject manifest, string key, string id, ApiResource api)
    {
        var stamped = (JsonObject)manifest.DeepClone();
        var metadata = stamped["metadata"] as JsonObject ?? [];
        stamped["metadata"] = metadata;
        if (api.Namespaced && metadata["namespace"] is null)
        {
            metadata["namespace"] = _options.DefaultNamespace;
        }

        var labels = metadata["labels"] as JsonObject ?? [];
        metadata["labels"] = labels;
        labels[ManagedByLabel] = "fleet";
        labels[OwnerLabel] = OwnerOf(key);
        var annotations = metadata["annotations"] as JsonObject ?? [];
        metadata["annotations"] = annotations;
        annotations[CapabilityAnnotation] = key;
        annotations[ResourceAnnotation] = id;
        return stamped;
    }

    /// <summary>The first way <paramref name="live"/> differs from what was applied (fields the agent set only), or null.</summary>
    private static string? Difference(JsonNode? applied, JsonNode? live, string path)
    {
        switch (applied)
        {
            case JsonObject map:
                foreach (var (name, value) in map)
                {
                    var child = path.Length == 0 ? name : $"{path}.{name}";
                    if (live is not JsonObject liveMap || !liveMap.TryGetPropertyValue(name, out var liveValue))
                    {
                        return value is null ? null : $"{child} removed";
                    }

                    if (Difference(value, liveValue, child) is { } difference)
                    {
                        return difference;
                    }
                }

                return null;
            case JsonArray list:
                if (live is not JsonArray liveList || liveList.Count != list.Count)
                {
                    return $"{path} changed";
                }

                for (var i = 0; i < list.Count; i++)
                {
                    if (Difference(list[i], liveList[i], $"{path}[{i}]") is { } difference)
                    {
                        return difference;
                    }
                }

                return null;
            default:
                return JsonNode.DeepEquals(applied, live) ? null : $"{path} is {Short(live)} on the cluster, {Short(applied)} applied";
        }
    }

    private static string Short(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "null";
        return text.Length > 60 ? text[..60] + "…" : text;
    }

    private static JsonObject? Parse(Resource resource, out string? error)
    {
        error = null;
        if (KindRefusal.Check(resource, Protocol.Agent.V1.Resource.KindOneofCase.Manifest, "kubernetes") is { } refusal)
        {
            error = refusal;
            return null;
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(resource.Manifest.Json);
        }
        catch (System.Text.Json.JsonException e)
        {
            error = $"manifest is not JSON: {e.Message}";
            return null;
        }

        if (node is not JsonObject manifest
            || manifest["apiVersion"] is not JsonValue apiVersion || !apiVersion.TryGetValue<string>(out _)
            || manifest["kind"] is not JsonValue kind || !kind.TryGetValue<string>(out _)
            || manifest["metadata"]?["name"] is not JsonValue name || !name.TryGetValue<string>(out _))
        {
            error = "manifest needs apiVersion, kind and metadata.name";
            return null;
        }

        return manifest;
    }

    /// <summary>Namespaces first, then CRDs (both are what other objects need), then everything else as given.</summary>
    private static int Priority(JsonObject? manifest) => Text(manifest?["kind"]) switch
    {
        "Namespace" => 0,
        "CustomResourceDefinition" => 1,
        _ => 2,
    };

    private static string Display(AppliedObject applied) => Display(applied.Namespace, applied.Name);

    private static string Display(string? ns, string name) => ns is null ? name : $"{ns}/{name}";
}
