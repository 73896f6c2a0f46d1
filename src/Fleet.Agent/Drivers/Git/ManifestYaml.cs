using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Fleet.Agent.Drivers.Git;

/// <summary>
/// A rendered manifest as the YAML file Argo CD or Flux reads: keys in the manifest's order, block style, and every
/// string that YAML could read as something else (<c>true</c>, <c>1.0</c>, <c>null</c>, <c>0x1f</c>, a leading
/// <c>*</c>) double-quoted, so the file means exactly the JSON the hub rendered. The same manifest always gives the
/// same bytes: the driver compares files by content, and a byte of difference would be a commit.
/// </summary>
internal static partial class ManifestYaml
{
    public static byte[] Write(JsonNode manifest)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(writer, new EmitterSettings().WithBestIndent(2).WithBestWidth(int.MaxValue).WithNewLine("\n"));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        Node(emitter, manifest);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(writer.ToString());
    }

    private static void Node(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case null:
                emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, true, false));
                break;
            case JsonObject map:
                emitter.Emit(new MappingStart(null, null, true, MappingStyle.Block));
                foreach (var (key, value) in map)
                {
                    Text(emitter, key);
                    Node(emitter, value);
                }

                emitter.Emit(new MappingEnd());
                break;
            case JsonArray list:
                emitter.Emit(new SequenceStart(null, null, true, SequenceStyle.Block));
                foreach (var item in list)
                {
                    Node(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                Text(emitter, value.GetValue<string>());
                break;
            default:
                // Numbers and booleans as JSON writes them, which YAML's core schema reads the same.
                emitter.Emit(new Scalar(null, null, node.ToJsonString(), ScalarStyle.Plain, true, false));
                break;
        }
    }

    private static void Text(IEmitter emitter, string text) =>
        emitter.Emit(new Scalar(null, null, text, PlainIsString(text) ? ScalarStyle.Plain : ScalarStyle.DoubleQuoted, true, true));

    /// <summary>Whether a plain scalar of <paramref name="text"/> reads back as that string: letters first, no YAML keyword.</summary>
    private static bool PlainIsString(string text) =>
        SafePlain().IsMatch(text) && !Keyword().IsMatch(text);

    [GeneratedRegex(@"^[A-Za-z_/][A-Za-z0-9_./-]*$")]
    private static partial Regex SafePlain();

    [GeneratedRegex(@"^(true|false|yes|no|on|off|y|n|null|nan|inf)$", RegexOptions.IgnoreCase)]
    private static partial Regex Keyword();
}
