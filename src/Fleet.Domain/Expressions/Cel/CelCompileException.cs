namespace Fleet.Domain.Expressions.Cel;

/// <summary>Unwinds the lexer, parser or checker at the first error; the engine turns it into a <see cref="CompileResult"/>.</summary>
internal sealed class CelCompileException(string message, int offset) : Exception(message)
{
    public int Offset { get; } = offset;
}
