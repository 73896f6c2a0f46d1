namespace Fleet.Domain.Expressions;

/// <summary>
/// <c>&amp;&amp;</c> and <c>||</c> as CEL defines them: short-circuit, and commutative over errors, so
/// <c>x.missing &amp;&amp; false</c> is <c>false</c> just like <c>false &amp;&amp; x.missing</c>. The deciding value
/// is <c>false</c> for <c>&amp;&amp;</c> and <c>true</c> for <c>||</c>.
/// </summary>
internal sealed class LogicalNode(int offset, ExpressionNode left, ExpressionNode right, bool isAnd) : ExpressionNode(offset)
{
    public override object? Evaluate(IReadOnlyDictionary<string, object?> variables)
    {
        var op = isAnd ? "&&" : "||";
        var decisive = !isAnd;
        ExpressionException? leftError = null;
        try
        {
            if (RequireBool(left.Evaluate(variables), op, Offset) == decisive)
            {
                return decisive;
            }
        }
        catch (ExpressionException e)
        {
            leftError = e;
        }

        var rightValue = RequireBool(right.Evaluate(variables), op, Offset);
        if (rightValue == decisive)
        {
            return decisive;
        }

        return leftError is null ? rightValue : throw leftError;
    }
}
