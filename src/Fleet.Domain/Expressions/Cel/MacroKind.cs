namespace Fleet.Domain.Expressions.Cel;

/// <summary>The comprehension macros of CEL's standard environment.</summary>
internal enum MacroKind
{
    All,
    Exists,
    ExistsOne,
    Map,
    Filter,
}
