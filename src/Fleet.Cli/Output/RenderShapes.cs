using System.Text.Json.Nodes;
using Fleet.Protocol.Admin.V1;
using Fleet.Protocol.Agent.V1;

namespace Fleet.Cli.Output;

/// <summary>The JSON shape of <c>fleet render -o json|yaml</c>: the desired capability as the agent receives it, plus placement.</summary>
internal static class RenderShapes
{
    public static JsonObject Result(RenderResult r) => new()
    {
        ["capability"] = r.Capability,
        ["instance"] = string.IsNullOrEmpty(r.Instance) ? null : r.Instance,
        ["inputs"] = string.IsNullOrEmpty(r.InputsJson) ? null : JsonNode.Parse(r.InputsJson),
        ["target"] = r.Target,
        ["revision"] = r.Revision,
        ["version"] = r.Version,
        ["driver"] = r.Driver,
        ["placed"] = r.Placed,
        ["placementReason"] = r.PlacementReason,
        ["hash"] = r.Desired?.Hash ?? "",
        ["error"] = string.IsNullOrEmpty(r.Desired?.Error) ? null : r.Desired.Error,
        ["resources"] = new JsonArray([.. (r.Desired?.Resources ?? []).Select(x => (JsonNode)ResourceShape(x))]),
    };

    public static string KindOf(Resource resource) => resource.KindCase switch
    {
        Resource.KindOneofCase.File => "file",
        Resource.KindOneofCase.Manifest => "manifest",
        Resource.KindOneofCase.Exec => "exec",
        _ when resource.Awaiting.Length > 0 => "awaiting",
        _ => "unknown",
    };

    private static JsonObject ResourceShape(Resource resource)
    {
        var shape = new JsonObject { ["id"] = resource.Id, ["kind"] = KindOf(resource), ["hash"] = resource.Hash };
        if (resource.DependsOn.Count > 0)
        {
            shape["dependsOn"] = Strings(resource.DependsOn);
        }

        if (resource.Awaiting.Length > 0)
        {
            shape["awaiting"] = resource.Awaiting;
        }

        switch (resource.KindCase)
        {
            case Resource.KindOneofCase.File:
                shape["file"] = new JsonObject { ["path"] = resource.File.Path, ["mode"] = resource.File.Mode, ["content"] = resource.File.Content };
                break;
            case Resource.KindOneofCase.Manifest:
                shape["manifest"] = JsonNode.Parse(resource.Manifest.Json);
                shape["readyWhen"] = Strings(resource.Manifest.ReadyWhen);
                break;
            case Resource.KindOneofCase.Exec:
                var exec = resource.Exec;
                var env = new JsonObject();
                foreach (var (key, value) in exec.Env.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    env[key] = value;
                }

                shape["exec"] = new JsonObject
                {
                    ["command"] = Strings(exec.Command),
                    ["stdin"] = exec.HasStdin ? exec.Stdin : null,
                    ["env"] = env,
                    ["timeoutSeconds"] = exec.TimeoutSeconds,
                    ["check"] = exec.Check.Count == 0 ? null : Strings(exec.Check),
                    ["delete"] = exec.Delete.Count == 0 ? null : Strings(exec.Delete),
                };
                break;
        }

        return shape;
    }

    private static JsonArray Strings(IEnumerable<string> items) => new([.. items.Select(i => (JsonNode)JsonValue.Create(i))]);
}
