namespace Fleet.Domain.Expressions.Cel;

/// <summary>
/// <c>range.all(x, p)</c>, <c>exists</c>, <c>exists_one</c>, <c>filter</c> (<see cref="Predicate"/> only),
/// <c>map(x, t)</c> (<see cref="Transform"/> only) and <c>map(x, p, t)</c> (both). <see cref="Expr.Offset"/> is the macro name's.
/// </summary>
internal sealed class ComprehensionExpr(int offset, MacroKind kind, Expr range, string variable, Expr? predicate, Expr? transform)
    : Expr(offset, DepthOf(range, predicate, transform))
{
    public MacroKind Kind { get; } = kind;

    public Expr Range { get; } = range;

    public string Variable { get; } = variable;

    public Expr? Predicate { get; } = predicate;

    public Expr? Transform { get; } = transform;
}
