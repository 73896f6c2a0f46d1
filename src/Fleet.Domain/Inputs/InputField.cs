using Fleet.Domain.Serialization;

namespace Fleet.Domain.Inputs;

/// <summary>
/// One declared input, or one field of an object input: its type and the markers written after <c>|</c>
/// (<c>replicas: integer | default=1 minimum=1 maximum=10</c>). Values (<see cref="Default"/>, <see cref="Enum"/>,
/// <see cref="Minimum"/>, <see cref="Maximum"/>) are in the expression value model and of the field's own type:
/// <c>string</c>, <c>long</c> for integer, <c>double</c> for number, <c>bool</c>, lists and string-keyed maps.
/// </summary>
public sealed record InputField
{
    public required string Name { get; init; }

    public required InputType Type { get; init; }

    /// <summary>An Instance must give this input (never together with a <see cref="Default"/>).</summary>
    public bool Required { get; init; }

    /// <summary>The value used when an Instance leaves the input out; null when there is none.</summary>
    public object? Default { get; init; }

    /// <summary>The only values allowed (string, integer and number inputs); null when any value of the type is.</summary>
    public IReadOnlyList<object>? Enum { get; init; }

    /// <summary>The smallest value allowed, inclusive (integer and number inputs): a <c>long</c> or a <c>double</c>.</summary>
    public object? Minimum { get; init; }

    /// <summary>The largest value allowed, inclusive (integer and number inputs): a <c>long</c> or a <c>double</c>.</summary>
    public object? Maximum { get; init; }

    /// <summary>An RE2 regular expression a string input must match somewhere in it, as CEL's <c>matches</c> does.</summary>
    public string? Pattern { get; init; }

    /// <summary>Fewest characters (Unicode code points) of a string input.</summary>
    public int? MinLength { get; init; }

    /// <summary>Most characters (Unicode code points) of a string input.</summary>
    public int? MaxLength { get; init; }

    /// <summary>Fewest items of a list input.</summary>
    public int? MinItems { get; init; }

    /// <summary>Most items of a list input.</summary>
    public int? MaxItems { get; init; }

    /// <summary>Free text for people reading the capability.</summary>
    public string? Description { get; init; }

    // Values of any dictionary or list type compare by what they hold, so a schema read back from storage equals the one written.
    public bool Equals(InputField? other) =>
        other is not null && Name == other.Name && Type.Equals(other.Type) && Required == other.Required
        && SameValue(Default, other.Default) && SameValue(Enum, other.Enum) && SameValue(Minimum, other.Minimum)
        && SameValue(Maximum, other.Maximum) && Pattern == other.Pattern && MinLength == other.MinLength
        && MaxLength == other.MaxLength && MinItems == other.MinItems && MaxItems == other.MaxItems && Description == other.Description;

    public override int GetHashCode() => HashCode.Combine(Name, Type, Required, Pattern, Description);

    private static bool SameValue(object? a, object? b) =>
        a is null ? b is null : b is not null && ValueJson.SerializeResult(a) == ValueJson.SerializeResult(b);
}
