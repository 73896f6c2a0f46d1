namespace Fleet.Domain.Expressions;

/// <summary>Either a compiled expression or an error with its 0-based offset inside the expression text.</summary>
public sealed record CompileResult(ICompiledExpression? Expression, string? Error, int ErrorOffset)
{
    public static CompileResult Ok(ICompiledExpression expression) => new(expression, null, 0);

    public static CompileResult Fail(string error, int offset) => new(null, error, offset);

    public bool Succeeded => Expression is not null;
}
