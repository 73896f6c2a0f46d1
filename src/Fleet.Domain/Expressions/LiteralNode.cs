namespace Fleet.Domain.Expressions;

internal sealed class LiteralNode(int offset, object? value) : ExpressionNode(offset)
{
    public override object? Evaluate(IReadOnlyDictionary<string, object?> variables) => value;
}
