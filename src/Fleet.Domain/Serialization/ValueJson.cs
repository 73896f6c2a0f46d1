using System.Text;
using System.Text.Json;

namespace Fleet.Domain.Serialization;

/// <summary>
/// JSON for the expression value model (<c>string</c>, <c>long</c>, <c>double</c>, <c>bool</c>, <c>null</c>,
/// lists, string-keyed maps): how <c>fleet eval</c> reads its variables and prints results, and how
/// templates splice lists and maps into text.
/// </summary>
public static class ValueJson
{
    /// <summary>Compact JSON with map keys sorted ordinally, so equal values give equal text.</summary>
    public static string Serialize(object? value) => new CanonicalJsonWriter().Value(value).ToString();

    /// <summary>
    /// A result for people and tools (<c>fleet eval</c>): like <see cref="Serialize"/>, but a double always
    /// shows a fraction or exponent (<c>1.0</c>), so reading the text back gives a double again, not an int.
    /// Bytes are base64, types their name, NaN and infinities the strings <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>.
    /// </summary>
    public static string SerializeResult(object? value) => new CanonicalJsonWriter(keepDoublesDouble: true).Value(value).ToString();

    /// <summary>Parses JSON into the value model: integral numbers that fit become <c>long</c>, other numbers <c>double</c>.</summary>
    /// <exception cref="JsonException">The text is not JSON.</exception>
    public static object? Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        try
        {
            return Convert(document.RootElement);
        }
        catch (InvalidOperationException) when (UnpairedSurrogate(json) is { } problem)
        {
            // JSON's grammar allows "\ud800", but no string holds it: a bad input like any other, with its position.
            throw new JsonException(problem);
        }
    }

    /// <summary>Where the first <c>\uXXXX</c> escape of a string or name is a surrogate without its pair, and which.</summary>
    private static string? UnpairedSurrogate(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 64 });
        while (reader.Read())
        {
            if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName) || !reader.ValueIsEscaped)
            {
                continue;
            }

            var raw = reader.ValueSpan;
            for (var i = 0; i + 5 < raw.Length; i++)
            {
                if (raw[i] != '\\')
                {
                    continue;
                }

                if (raw[i + 1] != 'u')
                {
                    i++;
                    continue;
                }

                var unit = (char)System.Convert.ToUInt16(Encoding.ASCII.GetString(raw.Slice(i + 2, 4)), 16);
                var paired = char.IsHighSurrogate(unit) && i + 11 < raw.Length && raw[i + 6] == '\\' && raw[i + 7] == 'u'
                             && char.IsLowSurrogate((char)System.Convert.ToUInt16(Encoding.ASCII.GetString(raw.Slice(i + 8, 4)), 16));
                if (paired)
                {
                    i += 11;
                    continue;
                }

                if (char.IsSurrogate(unit))
                {
                    // The escape's place in the text: after the token's opening quote, as characters (columns count them).
                    var offset = Encoding.UTF8.GetCharCount(bytes, 0, (int)reader.TokenStartIndex + 1 + i);
                    var lineStart = json.LastIndexOf('\n', Math.Max(0, offset - 1)) + 1;
                    var line = json.AsSpan(0, offset).Count('\n') + 1;
                    return $"line {line}, column {offset - lineStart + 1}: {Encoding.ASCII.GetString(raw.Slice(i, 6))} is an unpaired surrogate, not a character";
                }

                i += 5;
            }
        }

        return null;
    }

    public static object? Convert(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => element.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => element.TryGetInt64(out var l) ? (object)l : element.GetDouble(),
        JsonValueKind.Array => element.EnumerateArray().Select(Convert).ToList(),
        JsonValueKind.Object => ToMap(element),
        _ => throw new JsonException($"unsupported JSON value kind {element.ValueKind}"),
    };

    private static IReadOnlyDictionary<string, object?> ToMap(JsonElement element)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            // JSON allows duplicate names; the last one wins, as in JavaScript.
            map[property.Name] = Convert(property.Value);
        }

        return map;
    }
}
