namespace Fleet.Domain.Expressions.Cel;

/// <summary>The run-time sort of a value, what overloads dispatch on.</summary>
internal enum CelValueKind : byte
{
    /// <summary>A CLR object outside the value model; no function accepts it.</summary>
    Other,
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
}
