using System.Text.Json.Nodes;

namespace Fleet.Agent.Drivers.Kubernetes;

/// <summary>
/// Maps apiVersion and kind to the REST resource through the API server's discovery documents (<c>/api/v1</c>,
/// <c>/apis/GROUP/VERSION</c>), never by guessing plurals. A miss reloads that group version once: a CRD applied
/// earlier in the same converge adds kinds that were not there before.
/// </summary>
internal sealed class ResourceDiscovery(KubernetesApi api)
{
    private readonly Dictionary<string, Dictionary<string, ApiResource>> _groups = new(StringComparer.Ordinal);

    /// <summary>The resource, or null when the server does not serve that kind.</summary>
    public async Task<ApiResource?> FindAsync(string apiVersion, string kind, CancellationToken cancellationToken)
    {
        if (_groups.TryGetValue(apiVersion, out var kinds) && kinds.TryGetValue(kind, out var found))
        {
            return found;
        }

        kinds = await LoadAsync(apiVersion, cancellationToken);
        _groups[apiVersion] = kinds;
        return kinds.GetValueOrDefault(kind);
    }

    private async Task<Dictionary<string, ApiResource>> LoadAsync(string apiVersion, CancellationToken cancellationToken)
    {
        var path = apiVersion.Contains('/', StringComparison.Ordinal) ? $"/apis/{apiVersion}" : $"/api/{apiVersion}";
        var kinds = new Dictionary<string, ApiResource>(StringComparer.Ordinal);
        if (await api.GetAsync(path, cancellationToken) is not { } document || document["resources"] is not JsonArray resources)
        {
            return kinds;
        }

        foreach (var resource in resources.OfType<JsonObject>())
        {
            var name = resource["name"]?.GetValue<string>() ?? "";
            var kind = resource["kind"]?.GetValue<string>() ?? "";

            // Subresources (deployments/status, pods/log) share the kind of their parent: skip them.
            if (name.Length == 0 || kind.Length == 0 || name.Contains('/', StringComparison.Ordinal))
            {
                continue;
            }

            kinds.TryAdd(kind, new ApiResource(path, name, resource["namespaced"]?.GetValue<bool>() ?? false));
        }

        return kinds;
    }
}
