namespace Fleet.Domain.Expressions.Cel;

/// <summary>CEL's internal function names for operators, and how to show them to users.</summary>
internal static class CelOperators
{
    public const string Conditional = "_?_:_";
    public const string LogicalAnd = "_&&_";
    public const string LogicalOr = "_||_";
    public const string Not = "!_";
    public const string Negate = "-_";
    public const string Equal = "_==_";
    public const string NotEqual = "_!=_";
    public const string Less = "_<_";
    public const string LessEqual = "_<=_";
    public const string Greater = "_>_";
    public const string GreaterEqual = "_>=_";
    public const string In = "@in";
    public const string Add = "_+_";
    public const string Subtract = "_-_";
    public const string Multiply = "_*_";
    public const string Divide = "_/_";
    public const string Modulo = "_%_";
    public const string Index = "_[_]";

    /// <summary>The operator as written (<c>+</c> for <c>_+_</c>); a function name as is.</summary>
    public static string Display(string function) => function switch
    {
        Conditional => "?:",
        LogicalAnd => "&&",
        LogicalOr => "||",
        Not => "!",
        Negate => "-",
        In => "in",
        Index => "[]",
        _ when function.Length > 2 && function[0] == '_' && function[^1] == '_' => function[1..^1],
        _ => function,
    };
}
