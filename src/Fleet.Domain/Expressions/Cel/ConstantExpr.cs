namespace Fleet.Domain.Expressions.Cel;

/// <summary>A literal: <c>long</c>, <c>ulong</c>, <c>double</c>, <c>string</c>, <see cref="CelBytes"/>, <c>bool</c> or null.</summary>
internal sealed class ConstantExpr(int offset, object? value) : Expr(offset, 1)
{
    public object? Value { get; } = value;
}
