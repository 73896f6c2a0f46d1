using Fleet.Protocol.Admin;
using System.Text.Json.Nodes;
using Fleet.Protocol.Admin.V1;

namespace Fleet.Cli.Output;

/// <summary>The JSON shapes of SPEC §5. Field names here are a contract with scripts: change none of them.</summary>
internal static class JsonShapes
{
    public static JsonObject Target(Target t)
    {
        var capabilities = new JsonObject();
        foreach (var (key, c) in t.Capabilities.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            capabilities[key] = new JsonObject
            {
                ["revision"] = c.Revision,
                ["state"] = StateNames.Of(c.State),
                ["message"] = c.Message,
                ["desiredRevision"] = c.DesiredRevision,
            };
        }

        return new JsonObject
        {
            ["name"] = t.Name,
            ["labels"] = Map(t.Labels),
            ["driver"] = t.Driver,
            ["connected"] = t.Connected,
            ["lastSeen"] = t.LastSeen?.ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["capabilities"] = capabilities,
            ["facts"] = Map(t.Facts),
        };
    }

    public static JsonObject Capability(Capability c) => new()
    {
        ["name"] = c.Name,
        ["version"] = c.Version,
        ["revision"] = c.Revision,
        ["stableRevision"] = c.StableRevision,
        ["revisions"] = new JsonArray(c.Revisions.Select(r => (JsonNode)r).ToArray()),
        ["targets"] = c.Targets,
        ["activeRollout"] = string.IsNullOrEmpty(c.ActiveRollout) ? null : c.ActiveRollout,
    };

    /// <summary>An Instance: its revisions pair a capability revision with the inputs after defaults.</summary>
    public static JsonObject Instance(Instance i) => new()
    {
        ["name"] = i.Name,
        ["capability"] = i.Capability,
        ["key"] = i.Key,
        ["revision"] = i.Revision,
        ["stableRevision"] = i.StableRevision,
        ["revisions"] = new JsonArray(i.Revisions.Select(r => (JsonNode)r).ToArray()),
        ["capabilityRevision"] = i.CapabilityRevision,
        ["inputs"] = JsonNode.Parse(string.IsNullOrEmpty(i.InputsJson) ? "{}" : i.InputsJson),
        ["targets"] = i.Targets,
        ["activeRollout"] = string.IsNullOrEmpty(i.ActiveRollout) ? null : i.ActiveRollout,
    };

    public static JsonObject Rollout(Rollout r) => new()
    {
        ["id"] = r.Id,
        ["capability"] = r.Capability,
        ["instance"] = string.IsNullOrEmpty(r.Instance) ? null : r.Instance,
        ["fromRevision"] = r.FromRevision,
        ["toRevision"] = r.ToRevision,
        ["phase"] = StateNames.Of(r.Phase),
        ["message"] = r.Message,
        ["maxUnavailable"] = r.MaxUnavailable,
        ["gate"] = r.Gate,
        ["eta"] = r.Eta is null ? null : Time(r.Eta),
        ["rollingBack"] = r.RollingBack,
        ["undoOf"] = string.IsNullOrEmpty(r.UndoOf) ? null : r.UndoOf,
        ["created"] = r.Created is null ? null : Time(r.Created),
        ["counts"] = new JsonObject
        {
            ["total"] = r.Counts.Total,
            ["succeeded"] = r.Counts.Succeeded,
            ["failed"] = r.Counts.Failed,
            ["inProgress"] = r.Counts.InProgress,
            ["pending"] = r.Counts.Pending,
            ["skipped"] = r.Counts.Skipped,
        },
        ["waves"] = new JsonArray(r.Waves.Select(w => (JsonNode)new JsonObject
        {
            ["name"] = w.Name,
            ["phase"] = StateNames.Of(w.Phase),
            ["maxUnavailable"] = w.MaxUnavailable,
            ["soakSeconds"] = w.SoakSeconds,
            ["approval"] = w.Approval,
            ["targets"] = new JsonArray(w.Targets.Select(t => (JsonNode)new JsonObject
            {
                ["name"] = t.Name,
                ["state"] = StateNames.Of(t.State),
                ["message"] = t.Message,
                ["action"] = t.Action,
            }).ToArray()),
        }).ToArray()),
    };

    private static string Time(Google.Protobuf.WellKnownTypes.Timestamp t) =>
        t.ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static JsonObject Plan(RolloutPlan p)
    {
        static JsonObject Target(PlannedTarget t) => new()
        {
            ["name"] = t.Name,
            ["action"] = t.Action,
            ["change"] = t.Change,
            ["reason"] = t.Reason,
            ["currentRevision"] = t.CurrentRevision,
            ["connected"] = t.Connected,
        };

        return new JsonObject
        {
            ["capability"] = p.Capability,
            ["fromRevision"] = p.FromRevision,
            ["toRevision"] = p.ToRevision,
            ["window"] = string.IsNullOrEmpty(p.Window) ? null : p.Window,
            ["waves"] = new JsonArray(p.Waves.Select(w => (JsonNode)new JsonObject
            {
                ["name"] = w.Name,
                ["maxUnavailable"] = w.MaxUnavailable,
                ["soakSeconds"] = w.SoakSeconds,
                ["approval"] = w.Approval,
                ["targets"] = new JsonArray(w.Targets.Select(t => (JsonNode)Target(t)).ToArray()),
            }).ToArray()),
            ["excluded"] = new JsonArray(p.Excluded.Select(t => (JsonNode)Target(t)).ToArray()),
        };
    }

    public static JsonObject List(IEnumerable<JsonObject> items) => new() { ["items"] = new JsonArray(items.Cast<JsonNode>().ToArray()) };

    private static JsonObject Map(IEnumerable<KeyValuePair<string, string>> map)
    {
        var result = new JsonObject();
        foreach (var (key, value) in map.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            result[key] = value;
        }

        return result;
    }
}
