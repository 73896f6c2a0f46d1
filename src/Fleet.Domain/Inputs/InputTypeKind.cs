namespace Fleet.Domain.Inputs;

/// <summary>The sort of an <see cref="InputType"/>: the SimpleSchema types an input may declare.</summary>
public enum InputTypeKind
{
    /// <summary><c>string</c>: text.</summary>
    String,

    /// <summary><c>integer</c>: a whole number (a <c>long</c>, CEL's <c>int</c>).</summary>
    Integer,

    /// <summary><c>number</c>: any number, held as a <c>double</c>.</summary>
    Number,

    /// <summary><c>boolean</c>: true or false.</summary>
    Boolean,

    /// <summary><c>[]T</c>: a list whose items are all of the element type.</summary>
    List,

    /// <summary><c>map[string]T</c>: string keys, values all of the element type.</summary>
    Map,

    /// <summary>A YAML mapping of named fields, each with its own type and markers.</summary>
    Object,
}
