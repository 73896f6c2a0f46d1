namespace Fleet.Domain.Expressions;

/// <summary><c>operand.member</c>: a key of a map; anything else has no members.</summary>
internal sealed class MemberNode(int offset, ExpressionNode operand, string member) : ExpressionNode(offset)
{
    public override object? Evaluate(IReadOnlyDictionary<string, object?> variables)
    {
        var value = operand.Evaluate(variables);
        if (!ExpressionValues.IsMap(value))
        {
            throw new ExpressionException($"no such field '{member}' on a value of type {ExpressionValues.TypeName(value)}", Offset);
        }

        return ExpressionValues.TryGetKey(value, member, out var result)
            ? result
            : throw new ExpressionException($"no such key: {member}", Offset);
    }
}
