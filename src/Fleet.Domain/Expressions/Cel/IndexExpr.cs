namespace Fleet.Domain.Expressions.Cel;

/// <summary><c>operand[index]</c>; <see cref="Expr.Offset"/> is the bracket's.</summary>
internal sealed class IndexExpr(int offset, Expr operand, Expr index) : Expr(offset, DepthOf(operand, index))
{
    public Expr Operand { get; } = operand;

    public Expr Index { get; } = index;
}
