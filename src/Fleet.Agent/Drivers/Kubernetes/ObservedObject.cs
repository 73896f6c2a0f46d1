using System.Text.Json.Nodes;

namespace Fleet.Agent.Drivers.Kubernetes;

/// <summary>
/// A live object as it is reported for <c>${resources.&lt;id&gt;...}</c>: what the API server returned, without what is
/// bookkeeping or must not leave the cluster.
/// </summary>
internal static class ObservedObject
{
    private const string LastApplied = "kubectl.kubernetes.io/last-applied-configuration";

    public static JsonObject From(JsonObject live)
    {
        var observed = (JsonObject)live.DeepClone();
        var metadata = observed["metadata"] as JsonObject;

        // Field ownership per manager: often the largest part of an object and of no use to an expression.
        metadata?.Remove("managedFields");

        // A Secret's values stay on the cluster: the hub stores reports and shows them to every viewer. kubectl's
        // client-side apply keeps a full copy of the object, values included, in an annotation.
        if (observed["kind"] is JsonValue kind && kind.TryGetValue<string>(out var text) && text == "Secret"
            && observed["apiVersion"] is JsonValue apiVersion && apiVersion.TryGetValue<string>(out var version) && version == "v1")
        {
            observed.Remove("data");
            observed.Remove("stringData");
            (metadata?["annotations"] as JsonObject)?.Remove(LastApplied);
        }

        return observed;
    }
}
