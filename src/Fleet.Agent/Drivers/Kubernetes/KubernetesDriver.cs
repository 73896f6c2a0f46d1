using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Fleet.Agent.Drivers.Dependencies;
using Fleet.Domain.Expressions;
using Fleet.Protocol.Agent.V1;

namespace Fleet.Agent.Drivers.Kubernetes;

/// <summary>
/// Applies <c>manifest</c> resources to a cluster with server-side apply under one stable field manager.
/// Objects are applied in dependency order, each once what it depends on is ready, and namespaces and CRDs first
/// where the dependencies leave a choice (what others need); kinds are mapped to REST resources by discovery,
/// readiness comes from <c>readyWhen</c> or built-in rules, and every object is recorded in an inventory and labelled
/// with its owner before it is applied: pruning deletes only what both the inventory and the object's label say is
/// this capability's, never by guessing, and dependents before what they depend on.
/// </summary>
internal sealed partial class KubernetesDriver : ITargetDriver
{
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    /// <summary>The owning capability key as a label value (<see cref="OwnerOf"/>): what pruning lists by.</summary>
    public const string OwnerLabel = "fleet.dev/capability";

    /// <summary>The exact capability key; the label may be shortened, so pruning checks this too.</summary>
    public const string CapabilityAnnotation = "fleet.dev/capability-key";

    /// <summary>The resource id within the capability that this object is.</summary>
    public const string ResourceAnnotation = "fleet.dev/resource";

    private readonly KubernetesApi _api;
    private readonly ResourceDiscovery _discovery;
    private readonly KubernetesInventory _inventory;
    private readonly KubernetesDriverOptions _options;
    private readonly IExpressionEngine _engine;
    private readonly ILogger<KubernetesDriver> _logger;

    // Resources found drifted by the last drift detection: the next converge re-applies them with force.
    private readonly HashSet<(string Key, string Id)> _drifted = [];

    public KubernetesDriver(KubernetesApi api, string stateDirectory, KubernetesDriverOptions options, IExpressionEngine engine, ILogger<KubernetesDriver> logger)
    {
        _api = api;
        _discovery = new ResourceDiscovery(api);
        _inventory = KubernetesInventory.Load(stateDirectory);
        _options = options;
        _engine = engine;
        _logger = logger;
    }

    public string Name => "kubernetes";

    public IReadOnlyCollection<string> OwnedCapabilities => [.. _inventory.Keys];

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

    public async Task<CapabilityReport> ConvergeAsync(DesiredCapability desired, CancellationToken cancellationToken)
    {
        if (desired.Error.Length > 0)
        {
            return CapabilityOutcome.NotApplied(desired, desired.Error);
        }

        var parsed = new Dictionary<Resource, (JsonObject? Manifest, string? Error)>(ReferenceEqualityComparer.Instance);
        foreach (var resource in desired.Resources)
        {
            // An awaiting resource has no manifest yet, which is no error: the gate holds it (and its order preference
            // is unknown until it is rendered, so it takes the default one).
            parsed[resource] = resource.Awaiting.Length > 0 ? (null, null) : (Parse(resource, out var error), error);
        }

        var graph = ResourceGraph.Build(desired, r => Priority(parsed[r].Manifest));
        if (graph.Error is { } graphError)
        {
            return CapabilityOutcome.NotApplied(desired, graphError);
        }

        var report = new CapabilityReport { Key = desired.Key, Revision = desired.Revision, Hash = desired.Hash };
        var record = _inventory.GetOrAdd(desired.Key);
        var kept = new HashSet<AppliedObject>();
        var gate = new ReadinessGate();
        var definedHere = DefinedKinds(parsed.Values.Select(p => p.Manifest).OfType<JsonObject>());
        foreach (var resource in graph.Order)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ResourceReport outcome;
            if (parsed[resource].Error is { } error)
            {
                outcome = Resource(resource, ResourceState.Failed, error);
            }
            else if (gate.Hold(resource) is { } held)
            {
                // Not applied now (waiting for a dependency, or awaiting the hub's render), and not pruned either: what
                // it applied before stays until it may be applied again.
                kept.UnionWith(record.Objects.Where(o => o.Id == resource.Id));
                outcome = held;
            }
            else
            {
                // Not awaiting (else the gate held it) and parsed without error: it has a manifest.
                outcome = await ApplyAsync(desired.Key, record, resource, parsed[resource].Manifest!, kept, definedHere, cancellationToken);
            }

            gate.Record(outcome);
            report.Resources.Add(outcome);
        }

        var (pruneFailures, pruneWaiting) = await PruneAsync(desired.Key, record, kept, cancellationToken);
        record.Objects = RemovalOrder.LikeGraph(record.Objects, o => o.Id, graph);
        record.Revision = desired.Revision;
        record.Hash = desired.Hash;
        if (TrySave() is { } saveError)
        {
            pruneFailures.Add(saveError);
        }

        return CapabilityOutcome.Finish(report, desired, pruneFailures, pruneWaiting);
    }

    public async Task<CapabilityReport?> DetectDriftAsync(DesiredCapability desired, CancellationToken cancellationToken)
    {
        if (desired.Error.Length > 0 || _inventory.Find(desired.Key) is not { } record)
        {
            return null;
        }

        var drifted = new List<ResourceReport>();
        foreach (var resource in desired.Resources)
        {
            if (record.Objects.Find(o => o.Id == resource.Id && o.Hash == resource.Hash) is not { } applied
                || Parse(resource, out _) is not { } manifest)
            {
                continue;
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
                continue;
            }

            if (difference is not null)
            {
                LogDrifted(desired.Key, resource.Id, difference);
                _drifted.Add((desired.Key, resource.Id));
                drifted.Add(Resource(resource, ResourceState.Drifted, $"{applied.Kind} {Display(applied)}: {difference}"));
            }
        }

        return DriftReport.For(desired, drifted);
    }

    public async Task<CapabilityReport> RemoveAsync(string capabilityKey, CancellationToken cancellationToken)
    {
        var report = new CapabilityReport { Key = capabilityKey };
        if (_inventory.Find(capabilityKey) is not { } record)
        {
            report.Removed = true;
            return CapabilityOutcome.Finish(report);
        }

        report.Revision = record.Revision;
        report.Hash = record.Hash;
        var (failures, waiting) = await PruneAsync(capabilityKey, record, [], cancellationToken);
        if (record.Objects.Count == 0)
        {
            _inventory.Remove(capabilityKey);
        }

        if (TrySave() is { } saveError)
        {
            failures.Add(saveError);
        }

        report.Removed = failures.Count == 0 && record.Objects.Count == 0;
        return CapabilityOutcome.Finish(report, otherFailures: failures, otherWaiting: waiting);
    }

    private async Task<ResourceReport> ApplyAsync(
        string key,
        KubernetesCapabilityRecord record,
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
            return Resource(resource, ResourceState.Failed, $"discovery of {apiVersion}: {e.Message}");
        }

        if (api is null)
        {
            // An API server serves a new CRD's kind only once the CRD is established, a moment after it is applied:
            // for a kind this capability defines itself, that is a wait (re-checked shortly), not a failure.
            return definedHere.Contains((Group(apiVersion), kind))
                ? Resource(resource, ResourceState.Applying, $"waiting: the cluster does not serve {kind} in {apiVersion} yet (its CustomResourceDefinition is applied)")
                : Resource(resource, ResourceState.Failed, $"the cluster serves no kind {kind} in {apiVersion}");
        }

        var stamped = Stamp(manifest, key, resource.Id, api);
        var ns = api.Namespaced ? stamped["metadata"]!["namespace"]!.GetValue<string>() : null;
        var name = stamped["metadata"]!["name"]!.GetValue<string>();

        // Recorded (and labelled) before it exists, so no crash can leave an object that nothing would prune.
        var applied = record.Objects.Find(o => o.Id == resource.Id && o.ApiVersion == apiVersion && o.Kind == kind && o.Namespace == ns && o.Name == name);
        var sameAsApplied = applied?.Hash == resource.Hash;
        if (applied is null)
        {
            applied = new AppliedObject { Id = resource.Id, ApiVersion = apiVersion, Kind = kind, Namespace = ns, Name = name };
            record.Objects.Add(applied);
        }

        applied.Hash = resource.Hash;
        applied.DependsOn = [.. resource.DependsOn];
        kept.Add(applied);
        if (TrySave() is { } saveError)
        {
            return Resource(resource, ResourceState.Failed, saveError);
        }

        var force = _options.ForceConflicts || (sameAsApplied && _drifted.Remove((key, resource.Id)));
        JsonObject live;
        try
        {
            live = await _api.ApplyAsync(api.Object(ns, name), stamped.ToJsonString(), _options.FieldManager, force, cancellationToken);
        }
        catch (KubernetesApiException e) when (e.Status == HttpStatusCode.Conflict)
        {
            return Resource(resource, ResourceState.Failed, $"conflict applying {kind} {Display(ns, name)}: {e.Message} (fields owned by another manager; the agent takes them only with --force-conflicts)");
        }
        catch (Exception e) when (IsApiFailure(e, cancellationToken))
        {
            return Resource(resource, ResourceState.Failed, $"applying {kind} {Display(ns, name)}: {e.Message}");
        }

        var readyWhen = resource.Manifest.ReadyWhen;
        var (state, message) = Readiness.Evaluate(live, readyWhen, _engine);
        LogApplied(key, resource.Id, kind, ns, name, state.ToString(), message);
        return ObservedState.Attach(Resource(resource, state, message), ObservedObject.From(live));
    }

    /// <summary>
    /// Deletes, dependents first, recorded objects not in <paramref name="keep"/> that still carry this capability's
    /// owner label. An object something still on the cluster depends on waits until that is gone. Returns what failed
    /// and what waits.
    /// </summary>
    private async Task<(List<string> Failures, List<string> Waiting)> PruneAsync(string key, KubernetesCapabilityRecord record, HashSet<AppliedObject> keep, CancellationToken cancellationToken)
    {
        var failures = new List<string>();

        // Walking backwards takes dependents first; going round again deletes what a dependent deleted later in the
        // same walk was still holding (a record ordered by a newer revision than the dependencies it still runs by).
        var attempted = new HashSet<AppliedObject>();
        for (var deleted = true; deleted;)
        {
            deleted = false;
            for (var i = record.Objects.Count - 1; i >= 0; i--)
            {
                var applied = record.Objects[i];
                if (keep.Contains(applied) || attempted.Contains(applied) || Dependent(record, applied) is not null)
                {
                    continue;
                }

                attempted.Add(applied);
                if (await DeleteAsync(key, applied, cancellationToken) is { } failure)
                {
                    failures.Add(failure);
                    continue;
                }

                record.Objects.RemoveAt(i);
                deleted = true;
            }
        }

        var waiting = record.Objects
            .Where(o => !keep.Contains(o) && !attempted.Contains(o))
            .Select(o => $"{o.Id}: {o.Kind} {Display(o)} not deleted yet: {Dependent(record, o)} depends on it and is still there")
            .ToList();
        return (failures, waiting);
    }

    private static string? Dependent(KubernetesCapabilityRecord record, AppliedObject applied) =>
        RemovalOrder.Dependent(applied.Id, record.Objects.Select(o => (o.Id, (IEnumerable<string>)o.DependsOn)));

    /// <summary>Deletes one recorded object if the cluster says it is ours; returns the failure, or null once it is gone from the cluster or was never ours.</summary>
    private async Task<string?> DeleteAsync(string key, AppliedObject applied, CancellationToken cancellationToken)
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

    private string? TrySave()
    {
        try
        {
            _inventory.Save();
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogInventorySaveFailed(ex);
            return $"saving the kubernetes inventory: {ex.Message}";
        }
    }

    private static ResourceReport Resource(Resource resource, ResourceState state, string message) =>
        new() { Id = resource.Id, Hash = resource.Hash, State = state, Message = message };
}
