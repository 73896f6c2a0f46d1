using System.Net;
using Fleet.Agent.Drivers.Kubernetes;
using Fleet.Domain.Rendering;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using System.Text;
using System.Text.Json.Nodes;

namespace Fleet.Agent.Tests.Drivers.Kubernetes;

/// <summary>
/// An in-process Kubernetes API server over loopback HTTP with the calls the kubernetes driver makes, implemented
/// after the API's documented behaviour: discovery (<c>/api/v1</c>, <c>/apis/G/V</c>, CRDs adding kinds), server-side
/// apply with per-manager field ownership and 409 conflicts (taken over with <c>force=true</c>, fields a manager stops
/// applying removed), GET, LIST by equality label selector, DELETE, status written by "controllers" (the test),
/// updates by other managers, bearer-token authentication and injected 4xx/5xx answers. Objects are served with
/// <c>metadata.managedFields</c> as the API server serves them, and an apply that changes nothing (object or field
/// ownership) leaves the resourceVersion as it was, as the API server does.
/// </summary>
internal sealed class FakeApiServer : IDisposable
{
    public const string Token = "test-token";

    /// <summary>Joins the keys of a field path: label keys hold '.' and '/', so neither can separate them.</summary>
    private const string Sep = "\u001f";

    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string Kind, string Plural, bool Namespaced)[]> _discovery = new(StringComparer.Ordinal)
    {
        ["/api/v1"] = [("Namespace", "namespaces", false), ("ConfigMap", "configmaps", true), ("Secret", "secrets", true)],
        ["/apis/apps/v1"] = [("Deployment", "deployments", true)],
        ["/apis/batch/v1"] = [("Job", "jobs", true)],
        ["/apis/apiextensions.k8s.io/v1"] = [("CustomResourceDefinition", "customresourcedefinitions", false)],
    };

    private readonly Dictionary<string, (string Kind, string Plural, bool Namespaced)[]> _pendingCrds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, HashSet<string>>> _owners = new(StringComparer.Ordinal);
    private readonly List<(string Method, string Contains, int Status, int Count)> _failures = [];
    private readonly HashSet<string> _appliers = new(StringComparer.Ordinal);
    private long _version;

    public FakeApiServer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();

        // HTTP/1.1 only, as an API server behind plain http would be; port 0: the OS picks a free one.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1));
        _app = builder.Build();
        _app.Run(ServeAsync);
        _app.StartAsync().GetAwaiter().GetResult();
        Url = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/";
    }

    public string Url { get; }

    /// <summary>Every request as "METHOD path", in order.</summary>
    public List<string> Requests { get; } = [];

    /// <summary>
    /// A kubernetes driver that reaches this server the way the agent does, through a kubeconfig (written into
    /// <paramref name="dir"/>), and keeps its inventory in <paramref name="dir"/>'s state directory.
    /// </summary>
    public KubernetesDriver NewDriver(TempDirectory dir, bool force = false, string? context = null, string token = Token) =>
        new(
            new KubernetesApi(KubernetesConnection.Configure(WriteKubeconfig(dir.Path, token), context)),
            dir.State,
            new KubernetesDriverOptions { ForceConflicts = force },
            TemplateEnvironment.Engine,
            NullLogger<KubernetesDriver>.Instance);

    public string WriteKubeconfig(string directory, string token = Token)
    {
        var path = Path.Combine(directory, "kubeconfig");
        File.WriteAllText(path, $$"""
            apiVersion: v1
            kind: Config
            clusters: [ { name: fake, cluster: { server: "{{Url.TrimEnd('/')}}" } } ]
            users: [ { name: fleet, user: { token: "{{token}}" } } ]
            contexts: [ { name: fake, context: { cluster: fake, user: fleet } }, { name: other, context: { cluster: fake, user: fleet, namespace: other } } ]
            current-context: fake
            """);
        return path;
    }

    public JsonObject? Get(string path)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(path, out var o) ? (JsonObject)o.DeepClone() : null;
        }
    }

    /// <summary>When set, a CRD's kind is served only after <see cref="EstablishCrds"/>, as a real API server serves it a moment after the apply.</summary>
    public bool DelayCrdEstablishment { get; set; }

    public void EstablishCrds()
    {
        lock (_gate)
        {
            foreach (var (groupVersion, kinds) in _pendingCrds)
            {
                _discovery[groupVersion] = kinds;
            }

            _pendingCrds.Clear();
        }
    }

    /// <summary>An object someone else created (kubectl create, another tool): it owns every field it set.</summary>
    public void Create(string path, string manager, JsonObject created)
    {
        lock (_gate)
        {
            var live = (JsonObject)created.DeepClone();
            _objects[path] = live;
            _owners[path] = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal) { [manager] = [.. Leaves(live).Keys] };
            Bump(live);
        }
    }

    /// <summary>A controller writing status (which bumps no generation).</summary>
    public void SetStatus(string path, JsonObject status)
    {
        lock (_gate)
        {
            _objects[path]["status"] = status;
        }
    }

    /// <summary>Someone else (kubectl edit, another controller) changing an object: they now own the leaves they changed.</summary>
    public void Update(string path, string manager, Action<JsonObject> change)
    {
        lock (_gate)
        {
            var live = _objects[path];
            var before = Leaves(live);
            change(live);
            var changed = Leaves(live).Where(l => !before.TryGetValue(l.Key, out var v) || !JsonNode.DeepEquals(v, l.Value)).Select(l => l.Key).ToList();
            var owners = _owners[path];
            foreach (var field in changed)
            {
                foreach (var set in owners.Values)
                {
                    set.Remove(field);
                }
            }

            owners.TryAdd(manager, []);
            owners[manager].UnionWith(changed);
            Bump(live);
        }
    }

    /// <summary>Someone deleting an object behind the agent's back.</summary>
    public void Remove(string path)
    {
        lock (_gate)
        {
            _objects.Remove(path);
            _owners.Remove(path);
        }
    }

    /// <summary>The next <paramref name="count"/> requests of <paramref name="method"/> whose path holds <paramref name="contains"/> fail with <paramref name="status"/>.</summary>
    public void FailNext(string method, string contains, int status, int count = 1)
    {
        lock (_gate)
        {
            _failures.Add((method, contains, status, count));
        }
    }

    public IReadOnlyCollection<string> Managers(string path)
    {
        lock (_gate)
        {
            return [.. _owners[path].Where(o => o.Value.Count > 0).Select(o => o.Key).Order(StringComparer.Ordinal)];
        }
    }

    public void Dispose()
    {
        _app.StopAsync().GetAwaiter().GetResult();
        ((IDisposable)_app).Dispose();
    }

    private async Task ServeAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        int status;
        JsonNode? answer;
        lock (_gate)
        {
            (status, answer) = Handle(context.Request, body);
        }

        // Whole answers with a Content-Length, as the API server sends for everything but watches.
        var bytes = Encoding.UTF8.GetBytes(answer?.ToJsonString() ?? "");
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    private (int, JsonNode?) Handle(HttpRequest request, string body)
    {
        var path = request.Path.Value!.TrimEnd('/');
        Requests.Add($"{request.Method} {path}");
        if (request.Headers.Authorization.ToString() != $"Bearer {Token}")
        {
            return Status(401, "Unauthorized", "no valid bearer token");
        }

        var failure = _failures.FindIndex(f => f.Method == request.Method && path.Contains(f.Contains, StringComparison.Ordinal));
        if (failure >= 0)
        {
            var f = _failures[failure];
            _failures[failure] = f with { Count = f.Count - 1 };
            _failures.RemoveAll(x => x.Count <= 0);
            return Status(f.Status, f.Status >= 500 ? "InternalError" : "Forbidden", $"injected {f.Status}");
        }

        if (request.Method == "GET" && _discovery.TryGetValue(path, out var kinds))
        {
            var resources = new JsonArray();
            foreach (var (kind, plural, namespaced) in kinds)
            {
                resources.Add(new JsonObject { ["name"] = plural, ["kind"] = kind, ["namespaced"] = namespaced });
                resources.Add(new JsonObject { ["name"] = plural + "/status", ["kind"] = kind, ["namespaced"] = namespaced });
            }

            return (200, new JsonObject { ["kind"] = "APIResourceList", ["groupVersion"] = path, ["resources"] = resources });
        }

        if (!TryResolve(path, out var collection, out var name, out var kindOf))
        {
            return Status(404, "NotFound", $"the server could not find the requested resource ({path})");
        }

        switch (request.Method)
        {
            case "GET" when name is null:
                var selector = (request.Query["labelSelector"].ToString()).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToList();
                var items = new JsonArray();
                foreach (var (key, value) in _objects.Where(o => o.Key.StartsWith(collection + "/", StringComparison.Ordinal) && !o.Key[(collection.Length + 1)..].Contains('/', StringComparison.Ordinal)))
                {
                    if (selector.All(s => value["metadata"]?["labels"]?[s[0]]?.GetValue<string>() == s[1]))
                    {
                        items.Add(Served(key, value));
                    }
                }

                return (200, new JsonObject { ["kind"] = kindOf + "List", ["items"] = items });
            case "GET":
                return _objects.TryGetValue(path, out var found) ? (200, Served(path, found)) : Status(404, "NotFound", $"{kindOf} \"{name}\" not found");
            case "DELETE":
                if (!_objects.Remove(path))
                {
                    return Status(404, "NotFound", $"{kindOf} \"{name}\" not found");
                }

                _owners.Remove(path);
                return Status(200, "", "deleted");
            case "PATCH" when name is not null:
                return Apply(request, path, name, kindOf, body);
            default:
                return Status(405, "MethodNotAllowed", request.Method);
        }
    }

    private (int, JsonNode?) Apply(HttpRequest request, string path, string name, string kind, string body)
    {
        if (request.ContentType?.Split(';')[0].Trim() != "application/apply-patch+yaml")
        {
            return Status(415, "UnsupportedMediaType", $"only server-side apply here, not {request.ContentType}");
        }

        var manager = request.Query["fieldManager"].ToString();
        if (string.IsNullOrEmpty(manager))
        {
            return Status(422, "Invalid", "fieldManager is required for apply requests");
        }

        var force = request.Query["force"] == "true";
        var applied = JsonNode.Parse(body) as JsonObject ?? [];
        if (applied["kind"]?.GetValue<string>() != kind || applied["metadata"]?["name"]?.GetValue<string>() != name)
        {
            return Status(400, "BadRequest", "the body's kind and name must match the URL");
        }

        var fields = Leaves(applied).Where(l => l.Key is not ("apiVersion" or "kind" or $"metadata{Sep}name" or $"metadata{Sep}namespace")).ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
        var created = !_objects.TryGetValue(path, out var live);
        var before = created ? null : live!.ToJsonString() + Ownership(path);
        live ??= new JsonObject { ["apiVersion"] = applied["apiVersion"]!.DeepClone(), ["kind"] = kind, ["metadata"] = new JsonObject { ["name"] = name, ["uid"] = Guid.NewGuid().ToString(), ["generation"] = 0L } };
        if (applied["metadata"]?["namespace"] is { } ns)
        {
            live["metadata"]!["namespace"] = ns.DeepClone();
        }

        var owners = _owners.GetValueOrDefault(path) ?? new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var current = Leaves(live);
        var conflicts = new List<string>();
        foreach (var (field, value) in fields)
        {
            foreach (var (other, owned) in owners.Where(o => o.Key != manager))
            {
                if (owned.Contains(field) && current.TryGetValue(field, out var liveValue) && !JsonNode.DeepEquals(liveValue, value))
                {
                    conflicts.Add($"conflict with \"{other}\": .{field.Replace(Sep, ".", StringComparison.Ordinal)}");
                }
            }
        }

        if (conflicts.Count > 0 && !force)
        {
            return Status(409, "Conflict", $"Apply failed with {conflicts.Count} conflict(s): {string.Join(", ", conflicts)}");
        }

        // Fields this manager applied before and no longer does, and nobody else owns, are removed.
        var previously = owners.GetValueOrDefault(manager) ?? [];
        foreach (var dropped in previously.Where(f => !fields.ContainsKey(f) && !owners.Any(o => o.Key != manager && o.Value.Contains(f))))
        {
            RemoveLeaf(live, dropped);
        }

        var specBefore = live["spec"]?.ToJsonString();
        foreach (var (field, value) in fields)
        {
            SetLeaf(live, field, value?.DeepClone());
            foreach (var (other, owned) in owners.Where(o => o.Key != manager))
            {
                if (force || !current.ContainsKey(field) || JsonNode.DeepEquals(current[field], value))
                {
                    // Forced fields move to the applier; equal values are shared, as the API server does.
                    if (force)
                    {
                        owned.Remove(field);
                    }
                }
            }
        }

        owners[manager] = [.. fields.Keys];
        _owners[path] = owners;
        _objects[path] = live;
        _appliers.Add(manager);
        if (created || live["spec"]?.ToJsonString() != specBefore)
        {
            Bump(live);
        }
        else if (live.ToJsonString() + Ownership(path) != before)
        {
            live["metadata"]!["resourceVersion"] = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (kind == "CustomResourceDefinition")
        {
            var spec = live["spec"]!;
            var group = spec["group"]!.GetValue<string>();
            var version = spec["versions"]![0]!["name"]!.GetValue<string>();
            (string, string, bool)[] served = [(spec["names"]!["kind"]!.GetValue<string>(), spec["names"]!["plural"]!.GetValue<string>(), spec["scope"]?.GetValue<string>() != "Cluster")];
            if (DelayCrdEstablishment)
            {
                _pendingCrds[$"/apis/{group}/{version}"] = served;
            }
            else
            {
                _discovery[$"/apis/{group}/{version}"] = served;
            }
        }

        return (created ? 201 : 200, Served(path, live));
    }

    /// <summary>Who owns which fields, in a stable spelling: an apply that changes it is a write.</summary>
    private string Ownership(string path) => string.Join(
        ";",
        (_owners.GetValueOrDefault(path) ?? []).OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}={string.Join(",", o.Value.Order(StringComparer.Ordinal))}"));

    /// <summary>The object as the API server returns it: with metadata.managedFields, one entry per manager owning fields.</summary>
    private JsonObject Served(string path, JsonObject live)
    {
        var served = (JsonObject)live.DeepClone();
        var managed = new JsonArray();
        foreach (var (manager, fields) in (_owners.GetValueOrDefault(path) ?? []).Where(o => o.Value.Count > 0).OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            var fieldsV1 = new JsonObject();
            foreach (var field in fields.Order(StringComparer.Ordinal))
            {
                var node = fieldsV1;
                foreach (var part in field.Split(Sep))
                {
                    if (node[$"f:{part}"] is not JsonObject child)
                    {
                        child = [];
                        node[$"f:{part}"] = child;
                    }

                    node = child;
                }
            }

            managed.Add(new JsonObject
            {
                ["manager"] = manager,
                ["operation"] = _appliers.Contains(manager) ? "Apply" : "Update",
                ["apiVersion"] = live["apiVersion"]?.DeepClone(),
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = fieldsV1,
            });
        }

        ((JsonObject)served["metadata"]!)["managedFields"] = managed;
        return served;
    }

    private bool TryResolve(string path, out string collection, out string? name, out string kind)
    {
        collection = "";
        name = null;
        kind = "";
        foreach (var (groupVersion, kinds) in _discovery)
        {
            if (!path.StartsWith(groupVersion + "/", StringComparison.Ordinal))
            {
                continue;
            }

            var rest = path[(groupVersion.Length + 1)..].Split('/');
            var namespaced = rest.Length >= 3 && rest[0] == "namespaces";
            var plural = namespaced ? rest[2] : rest[0];
            var match = kinds.FirstOrDefault(k => k.Plural == plural);
            if (match.Kind is null || match.Namespaced != namespaced)
            {
                continue;
            }

            var nameIndex = namespaced ? 3 : 1;
            collection = string.Join('/', [groupVersion, .. rest.Take(nameIndex)]);
            name = rest.Length > nameIndex ? Uri.UnescapeDataString(rest[nameIndex]) : null;
            kind = match.Kind;
            return rest.Length <= nameIndex + 1;
        }

        return false;
    }

    private void Bump(JsonObject live)
    {
        var metadata = (JsonObject)live["metadata"]!;
        metadata["generation"] = long.Parse(metadata["generation"]?.ToJsonString() ?? "0", System.Globalization.CultureInfo.InvariantCulture) + 1;
        metadata["resourceVersion"] = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Leaf values by dotted path; lists are leaves (the API's atomic-list default).</summary>
    private static Dictionary<string, JsonNode?> Leaves(JsonObject root)
    {
        var leaves = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        void Walk(JsonNode? node, string path)
        {
            if (node is JsonObject map && map.Count > 0)
            {
                foreach (var (key, value) in map)
                {
                    Walk(value, path.Length == 0 ? key : $"{path}{Sep}{key}");
                }
            }
            else if (path is not ("status" or $"metadata{Sep}generation" or $"metadata{Sep}resourceVersion" or $"metadata{Sep}uid") && !path.StartsWith($"status{Sep}", StringComparison.Ordinal))
            {
                leaves[path] = node;
            }
        }

        Walk(root, "");
        return leaves;
    }

    private static void SetLeaf(JsonObject root, string path, JsonNode? value)
    {
        var parts = path.Split(Sep);
        var node = root;
        foreach (var part in parts[..^1])
        {
            if (node[part] is not JsonObject child)
            {
                child = [];
                node[part] = child;
            }

            node = child;
        }

        node[parts[^1]] = value;
    }

    private static void RemoveLeaf(JsonObject root, string path)
    {
        var parts = path.Split(Sep);
        var node = root;
        foreach (var part in parts[..^1])
        {
            if (node[part] is not JsonObject child)
            {
                return;
            }

            node = child;
        }

        node.Remove(parts[^1]);
    }

    private static (int, JsonNode?) Status(int code, string reason, string message) =>
        (code, new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = code < 400 ? "Success" : "Failure", ["reason"] = reason, ["message"] = message, ["code"] = code });

}
