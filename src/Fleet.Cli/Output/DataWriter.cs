using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Serialization;

namespace Fleet.Cli.Output;

/// <summary>Writes data as JSON or YAML; both come from the same JSON shape so they never disagree.</summary>
internal static class DataWriter
{
    /// <summary>
    /// Printed for people and scripts, not embedded in HTML: characters such as ', &lt;, &gt; and + stay as they are instead of
    /// \u0027-style escapes (the output is still valid JSON).
    /// </summary>
    internal static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(JsonNode node, OutputFormat format, TextWriter output)
    {
        if (format == OutputFormat.Yaml)
        {
            output.Write(new SerializerBuilder().Build().Serialize(ToPlain(node)));
            return;
        }

        output.WriteLine(node.ToJsonString(Indented));
    }

    private static object? ToPlain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(kv => kv.Key, kv => ToPlain(kv.Value)),
        JsonArray a => a.Select(ToPlain).ToList(),
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        JsonValue v => v.ToString(),
        _ => node.ToJsonString(),
    };
}
