namespace Fleet.Domain.Expressions.Cel;

/// <summary>
/// A function call, <c>f(args)</c> or with a <see cref="Target"/> <c>target.f(args)</c>. Operators are
/// calls too, under CEL's internal names (<c>_+_</c>, <c>!_</c>, <c>_&amp;&amp;_</c>, <c>_?_:_</c>, <c>@in</c>, ...).
/// </summary>
internal sealed class CallExpr(int offset, string function, Expr? target, IReadOnlyList<Expr> args)
    : Expr(offset, Math.Max(DepthOf(args), target is null ? 0 : target.Depth + 1))
{
    public string Function { get; } = function;

    public Expr? Target { get; } = target;

    public IReadOnlyList<Expr> Args { get; } = args;
}
