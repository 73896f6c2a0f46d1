namespace Fleet.Domain.Inputs;

/// <summary>
/// The type of an input or field (SPEC §2, kro's SimpleSchema): a scalar, <c>[]T</c>, <c>map[string]T</c> or a nested
/// object. Immutable, with value equality, so two schemas that read the same compare equal.
/// </summary>
public sealed class InputType : IEquatable<InputType>
{
    private InputType(InputTypeKind kind, InputType? element, InputSchema? fields)
    {
        Kind = kind;
        Element = element;
        Fields = fields;
        Depth = kind switch
        {
            InputTypeKind.List or InputTypeKind.Map => 1 + element!.Depth,
            InputTypeKind.Object => fields!.Depth,
            _ => 0,
        };
    }

    public static InputType String { get; } = new(InputTypeKind.String, null, null);

    public static InputType Integer { get; } = new(InputTypeKind.Integer, null, null);

    public static InputType Number { get; } = new(InputTypeKind.Number, null, null);

    public static InputType Boolean { get; } = new(InputTypeKind.Boolean, null, null);

    public InputTypeKind Kind { get; }

    /// <summary>The type of a list's items or of a map's values; null for other kinds.</summary>
    public InputType? Element { get; }

    /// <summary>The fields of an object; null for other kinds.</summary>
    public InputSchema? Fields { get; }

    /// <summary>How many lists, maps and objects are nested in this type (0 for a scalar), to bound how deep inputs go.</summary>
    public int Depth { get; }

    public bool IsScalar => Kind is InputTypeKind.String or InputTypeKind.Integer or InputTypeKind.Number or InputTypeKind.Boolean;

    public static InputType ListOf(InputType element)
    {
        ArgumentNullException.ThrowIfNull(element);
        return new(InputTypeKind.List, element, null);
    }

    public static InputType MapOf(InputType value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(InputTypeKind.Map, value, null);
    }

    public static InputType ObjectOf(InputSchema fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return new(InputTypeKind.Object, null, fields);
    }

    public bool Equals(InputType? other) =>
        other is not null && Kind == other.Kind && Equals(Element, other.Element) && Equals(Fields, other.Fields);

    public override bool Equals(object? obj) => obj is InputType other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Kind, Element, Fields);

    /// <summary>The type as written in a declaration (<c>[]map[string]integer</c>); <c>object</c> for a nested object.</summary>
    public override string ToString() => Kind switch
    {
        InputTypeKind.String => "string",
        InputTypeKind.Integer => "integer",
        InputTypeKind.Number => "number",
        InputTypeKind.Boolean => "boolean",
        InputTypeKind.List => "[]" + Element,
        InputTypeKind.Map => "map[string]" + Element,
        _ => "object",
    };
}
