namespace Fleet.Domain.Expressions.Cel;

internal sealed class MapExpr(int offset, IReadOnlyList<MapEntry> entries)
    : Expr(offset, DepthOf([.. entries.SelectMany(e => new[] { e.Key, e.Value })]))
{
    public IReadOnlyList<MapEntry> Entries { get; } = entries;
}
