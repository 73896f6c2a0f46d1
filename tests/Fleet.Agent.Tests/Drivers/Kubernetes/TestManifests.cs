using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Fleet.Protocol.Agent.V1;

namespace Fleet.Agent.Tests.Drivers.Kubernetes;

/// <summary>Desired capabilities of manifest resources, as the hub would send them.</summary>
internal static class TestManifests
{
    /// <summary>Where the API server keeps <see cref="Deployment"/>.</summary>
    public const string WebPath = "/apis/apps/v1/namespaces/shop/deployments/web";

    /// <summary>Where the API server keeps each <see cref="ConfigMap"/>, by name below it.</summary>
    public const string ConfigMaps = "/api/v1/namespaces/default/configmaps";

    public static Resource Manifest(string id, string json, params string[] readyWhen)
    {
        var manifest = new ManifestResource { Json = json };
        manifest.ReadyWhen.Add(readyWhen);
        return new Resource { Id = id, Hash = Hash(id, json, string.Join('|', readyWhen)), Manifest = manifest };
    }

    public static Resource Deployment(int replicas = 2, string image = "web:1", params string[] readyWhen)
    {
        var json = new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = "shop" },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = image }) } },
            },
        };
        return Manifest("web", json.ToJsonString(), readyWhen);
    }

    public static Resource Namespace() => Manifest("ns", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"shop"}}""");

    public static Resource ConfigMap(string name = "settings", string value = "a") =>
        Manifest(name, $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}"},"data":{"value":"{{{value}}}"}}""");

    public static DesiredCapability Capability(string key, long revision, params Resource[] resources)
    {
        var desired = new DesiredCapability { Key = key, Capability = key, Revision = revision };
        desired.Resources.AddRange(resources);
        desired.Hash = Hash([.. resources.Select(r => r.Hash)]);
        return desired;
    }

    public static string Hash(params string[] parts) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\0', parts))));
}
