namespace Fleet.Domain.Expressions;

/// <summary>An expression failed while evaluating (unknown member, wrong type...). <see cref="Offset"/> is inside the expression text.</summary>
public sealed class ExpressionException(string message, int offset = 0) : Exception(message)
{
    public int Offset { get; } = offset;
}
