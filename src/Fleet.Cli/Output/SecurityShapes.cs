using System.Text.Json.Nodes;
using Fleet.Protocol.Security.V1;

namespace Fleet.Cli.Output;

/// <summary>The <c>-o json|yaml</c> shapes of tokens and audit records; times are RFC 3339 UTC.</summary>
internal static class SecurityShapes
{
    public static JsonObject List(IEnumerable<JsonNode> items) => new() { ["items"] = new JsonArray([.. items]) };

    public static JsonNode Token(TokenInfo token) => new JsonObject
    {
        ["id"] = token.Id,
        ["role"] = token.Role,
        ["description"] = token.Description,
        ["target"] = token.Target.Length == 0 ? null : token.Target,
        ["created"] = Time(token.Created),
        ["expires"] = token.Expires is null ? null : Time(token.Expires),
        ["state"] = token.State,
        ["createdBy"] = token.CreatedBy,
        // null: the agent asserts its labels (trusting mode); an object: fixed at enrollment.
        ["labels"] = token.EnrolledLabels ? new JsonObject(token.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))) : null,
        ["allowedLabelKeys"] = token.EnrolledLabels ? new JsonArray([.. token.AllowedLabelKeys.Select(k => (JsonNode?)k)]) : null,
        ["driver"] = token.Driver.Length == 0 ? null : token.Driver,
    };

    public static JsonNode Audit(AuditEntry entry) => new JsonObject
    {
        ["sequence"] = entry.Sequence,
        ["time"] = Time(entry.Time),
        ["who"] = entry.Who,
        ["role"] = entry.Role,
        ["method"] = entry.Method,
        ["object"] = entry.Object,
        ["outcome"] = entry.Outcome,
        ["detail"] = entry.Detail,
    };

    public static string Time(Google.Protobuf.WellKnownTypes.Timestamp time) =>
        time.ToDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
