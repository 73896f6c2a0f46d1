namespace Fleet.Domain.Expressions.Cel;

/// <summary>
/// <c>&amp;&amp;</c> and <c>||</c> with CEL's commutative semantics: an operand that decides the result
/// (<c>false</c> for and, <c>true</c> for or) wins even over an error or a non-bool on the other side,
/// whichever side it is on; otherwise an error (or a non-bool operand) makes the result an error.
/// </summary>
internal sealed class LogicalStep(int offset, bool isAnd, Step left, Step right) : Step(offset)
{
    protected override object? Eval(CelFrame frame)
    {
        var decisive = !isAnd;
        var l = left.Evaluate(frame);
        if (l is bool lb && lb == decisive)
        {
            return decisive;
        }

        var r = right.Evaluate(frame);
        if (r is bool rb)
        {
            if (rb == decisive)
            {
                return decisive;
            }

            if (l is bool)
            {
                return rb;
            }
        }

        if (l is CelError)
        {
            return l;
        }

        if (r is CelError)
        {
            return r;
        }

        return Error($"no matching overload for '{(isAnd ? "&&" : "||")}' applied to ({CelValues.TypeName(l)}, {CelValues.TypeName(r)})");
    }
}
