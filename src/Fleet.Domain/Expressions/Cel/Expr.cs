namespace Fleet.Domain.Expressions.Cel;

/// <summary>
/// A node of the syntax tree. <see cref="Offset"/> is where its text starts (for operators: the operator)
/// so errors point at it; <see cref="Depth"/> is the height of the subtree, bounded by <see cref="CelLimits.MaxDepth"/>.
/// </summary>
internal abstract class Expr(int offset, int depth)
{
    public int Offset { get; } = offset;

    public int Depth { get; } = depth;

    protected static int DepthOf(params ReadOnlySpan<Expr?> children)
    {
        var max = 0;
        foreach (var child in children)
        {
            if (child is not null && child.Depth > max)
            {
                max = child.Depth;
            }
        }

        return max + 1;
    }

    protected static int DepthOf(IReadOnlyList<Expr> children)
    {
        var max = 0;
        foreach (var child in children)
        {
            max = Math.Max(max, child.Depth);
        }

        return max + 1;
    }
}
