namespace Fleet.Domain.Expressions.Cel;

/// <summary>
/// The CEL expression language behind <see cref="IExpressionEngine"/>: parses, checks against its
/// <see cref="Environment"/> and plans an expression into a <see cref="CelProgram"/>. Stateless and
/// thread-safe: one engine serves every compilation that shares its environment.
/// </summary>
public sealed class CelEngine : IExpressionEngine
{
    /// <summary>An engine that accepts any variable (checked at evaluation) and checks everything else.</summary>
    public CelEngine()
        : this(CelEnvironment.Empty.WithUndeclaredVariables(true))
    {
    }

    public CelEngine(CelEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        Environment = environment;
    }

    public CelEnvironment Environment { get; }

    /// <summary>Compiles <paramref name="expression"/>; a <see cref="CompileResult"/> whose expression is a <see cref="CelProgram"/>, or the first error and its offset.</summary>
    public CompileResult Compile(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var limits = Environment.Limits;
        if (expression.Length > limits.MaxExpressionLength)
        {
            return CompileResult.Fail($"expression is longer than {limits.MaxExpressionLength} characters", limits.MaxExpressionLength);
        }

        try
        {
            var syntax = CelParser.Parse(expression, limits);
            return CompileResult.Ok(CelCompiler.Compile(expression, syntax, Environment));
        }
        catch (CelCompileException e)
        {
            return CompileResult.Fail(e.Message, e.Offset);
        }
    }
}
