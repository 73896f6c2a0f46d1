namespace Fleet.Domain.Expressions;

/// <summary><c>==</c> and <c>!=</c> with CEL's heterogeneous equality (values of different types are unequal, not an error).</summary>
internal sealed class EqualityNode(int offset, ExpressionNode left, ExpressionNode right, bool negate) : ExpressionNode(offset)
{
    public override object? Evaluate(IReadOnlyDictionary<string, object?> variables)
    {
        var equal = ExpressionValues.AreEqual(left.Evaluate(variables), right.Evaluate(variables));
        return negate ? !equal : equal;
    }
}
