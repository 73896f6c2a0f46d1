namespace Fleet.Domain.Expressions;

internal sealed class NotNode(int offset, ExpressionNode operand) : ExpressionNode(offset)
{
    public override object? Evaluate(IReadOnlyDictionary<string, object?> variables) =>
        !RequireBool(operand.Evaluate(variables), "!", Offset);
}
