namespace Fleet.Domain.Expressions.Cel;

/// <summary>The sort of a <see cref="CelType"/>.</summary>
public enum CelTypeKind
{
    /// <summary>Unknown until evaluation: any value may appear.</summary>
    Dyn,
    Null,
    Bool,
    Int,
    Uint,
    Double,
    String,
    Bytes,
    List,
    Map,
    Type,

    /// <summary>A placeholder in a function signature (the <c>A</c> of <c>list(A)</c>); never the type of a value.</summary>
    TypeParameter,
}
