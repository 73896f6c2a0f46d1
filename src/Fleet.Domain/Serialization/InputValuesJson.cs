using System.Text.Json;

namespace Fleet.Domain.Serialization;

/// <summary>
/// The canonical JSON of an Instance's inputs (given or resolved), for storing and hashing them: keys sorted ordinally
/// at every level, no whitespace, and a double always written with a fraction or exponent (<c>1.0</c>), so reading it
/// back gives a <c>double</c> again and an integer a <c>long</c>: equal inputs give equal text, and text gives the values back.
/// </summary>
public static class InputValuesJson
{
    public static string Serialize(IReadOnlyDictionary<string, object?> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return new CanonicalJsonWriter(keepDoublesDouble: true).Value(inputs).ToString();
    }

    /// <summary>Reads what <see cref="Serialize"/> wrote: integral numbers that fit become <c>long</c>, others <c>double</c>.</summary>
    /// <exception cref="JsonException">The text is not a JSON object.</exception>
    public static IReadOnlyDictionary<string, object?> Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return ValueJson.Deserialize(json) as IReadOnlyDictionary<string, object?>
            ?? throw new JsonException("inputs must be a JSON object");
    }
}
