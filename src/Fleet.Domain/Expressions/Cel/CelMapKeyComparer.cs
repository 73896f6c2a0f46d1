namespace Fleet.Domain.Expressions.Cel;

/// <summary>
/// Map keys as CEL compares them: an <c>int</c> and a <c>uint</c> of the same value are the same key
/// (heterogeneous equality), strings compare ordinally, and keys of different sorts never collide.
/// </summary>
internal sealed class CelMapKeyComparer : IEqualityComparer<object>
{
    public static CelMapKeyComparer Instance { get; } = new();

    public new bool Equals(object? x, object? y) => (x, y) switch
    {
        (long a, long b) => a == b,
        (ulong a, ulong b) => a == b,
        (long a, ulong b) => a >= 0 && (ulong)a == b,
        (ulong a, long b) => b >= 0 && a == (ulong)b,
        (string a, string b) => string.Equals(a, b, StringComparison.Ordinal),
        (bool a, bool b) => a == b,
        _ => false,
    };

    public int GetHashCode(object obj) => obj switch
    {
        // A uint that fits an int hashes like that int, so 1 and 1u land in the same bucket.
        long l => l.GetHashCode(),
        ulong u when u <= long.MaxValue => ((long)u).GetHashCode(),
        ulong u => u.GetHashCode(),
        string s => StringComparer.Ordinal.GetHashCode(s),
        bool b => b ? 1 : 2,
        _ => 0,
    };
}
