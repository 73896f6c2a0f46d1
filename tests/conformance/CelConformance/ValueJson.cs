using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CelConformance;

/// <summary>
/// cel-spec's <c>cel.expr.Value</c> in the JSON mapping of <c>fleet eval</c>: int and uint as numbers,
/// doubles with a fraction (or NaN/Infinity as strings), bytes as base64, types as their names.
/// </summary>
internal static class ValueJson
{
    /// <summary>The JSON text of <paramref name="value"/>, or null when it has no JSON form (as a variable: when JSON could not carry its type).</summary>
    public static string? Convert(ProtoMessage value, bool forVariables)
    {
        var builder = new StringBuilder();
        return Write(value, builder, forVariables) ? builder.ToString() : null;
    }

    /// <summary>The run-time type name of <paramref name="value"/>, as <c>type(x)</c> prints it.</summary>
    public static string? TypeName(ProtoMessage value) => value.All.FirstOrDefault().Name switch
    {
        "int64_value" => "int",
        "uint64_value" => "uint",
        "double_value" => "double",
        "string_value" => "string",
        "bytes_value" => "bytes",
        "bool_value" => "bool",
        "null_value" => "null_type",
        "list_value" => "list",
        "map_value" => "map",
        "type_value" => "type",
        _ => null,
    };

    private static bool Write(ProtoMessage value, StringBuilder output, bool forVariables)
    {
        var (name, content) = value.All.FirstOrDefault();
        switch (name)
        {
            case "null_value":
                output.Append("null");
                return true;
            case "bool_value":
                output.Append((string)content == "true" ? "true" : "false");
                return true;
            case "int64_value":
                output.Append((string)content);
                return true;
            case "uint64_value":
                output.Append((string)content);
                return !forVariables;
            case "double_value":
                output.Append(Double((string)content));
                return true;
            case "string_value":
                output.Append(JsonSerializer.Serialize(((ProtoBytes)content).Text));
                return true;
            case "bytes_value":
                output.Append('"').Append(System.Convert.ToBase64String(((ProtoBytes)content).Bytes)).Append('"');
                return !forVariables;
            case "type_value":
                output.Append(JsonSerializer.Serialize(((ProtoBytes)content).Text));
                return !forVariables;
            case "list_value":
                output.Append('[');
                var first = true;
                foreach (var item in ((ProtoMessage)content).Values("values").Cast<ProtoMessage>())
                {
                    output.Append(first ? "" : ",");
                    first = false;
                    if (!Write(item, output, forVariables))
                    {
                        return false;
                    }
                }

                output.Append(']');
                return true;
            case "map_value":
                output.Append('{');
                var firstEntry = true;
                foreach (var entry in ((ProtoMessage)content).Values("entries").Cast<ProtoMessage>())
                {
                    var key = entry.Message("key")!;
                    var (keyKind, keyContent) = key.All.First();
                    string keyText;
                    switch (keyKind)
                    {
                        case "string_value":
                            keyText = ((ProtoBytes)keyContent).Text;
                            break;
                        case "int64_value" or "uint64_value" or "bool_value" when !forVariables:
                            keyText = (string)keyContent;
                            break;
                        default:
                            return false;
                    }

                    output.Append(firstEntry ? "" : ",").Append(JsonSerializer.Serialize(keyText)).Append(':');
                    firstEntry = false;
                    if (!Write(entry.Message("value")!, output, forVariables))
                    {
                        return false;
                    }
                }

                output.Append('}');
                return true;
            default:
                return false;
        }
    }

    private static string Double(string text)
    {
        var lower = text.ToLowerInvariant();
        if (lower is "inf" or "infinity" or "+inf")
        {
            return "\"Infinity\"";
        }

        if (lower is "-inf" or "-infinity")
        {
            return "\"-Infinity\"";
        }

        if (lower is "nan")
        {
            return "\"NaN\"";
        }

        var value = double.Parse(text.TrimEnd('f', 'F'), NumberStyles.Float, CultureInfo.InvariantCulture);
        var r = value.ToString("R", CultureInfo.InvariantCulture);
        return r.Contains('.') || r.Contains('E') ? r : r + ".0";
    }
}
