namespace Fleet.Domain.Expressions.Cel;

/// <summary><c>operand.field</c>, or with <see cref="IsTest"/> the <c>has(operand.field)</c> macro. <see cref="Expr.Offset"/> is the field name's.</summary>
internal sealed class SelectExpr(int offset, Expr operand, string field, bool isTest) : Expr(offset, DepthOf(operand))
{
    public Expr Operand { get; } = operand;

    public string Field { get; } = field;

    public bool IsTest { get; } = isTest;
}
