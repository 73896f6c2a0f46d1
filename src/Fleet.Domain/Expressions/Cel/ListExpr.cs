namespace Fleet.Domain.Expressions.Cel;

internal sealed class ListExpr(int offset, IReadOnlyList<Expr> elements) : Expr(offset, DepthOf(elements))
{
    public IReadOnlyList<Expr> Elements { get; } = elements;
}
