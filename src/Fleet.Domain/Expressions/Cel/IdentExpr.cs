namespace Fleet.Domain.Expressions.Cel;

/// <summary>A name; <see cref="IsAbsolute"/> when written with a leading dot (<c>.x</c>), which skips comprehension variables.</summary>
internal sealed class IdentExpr(int offset, string name, bool isAbsolute) : Expr(offset, 1)
{
    public string Name { get; } = name;

    public bool IsAbsolute { get; } = isAbsolute;
}
