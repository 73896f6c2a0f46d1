namespace Fleet.Domain.Expressions;

/// <summary>Unwinds the recursive-descent parser at the first syntax error; never escapes the engine.</summary>
internal sealed class ExpressionSyntaxException(string message, int offset) : Exception(message)
{
    public int Offset { get; } = offset;
}
