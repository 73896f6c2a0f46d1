namespace Fleet.Domain.Expressions.Cel;

/// <summary>
/// A CEL <c>bytes</c> value. Immutable, compared by content; a wrapper rather than <c>byte[]</c> so the
/// value model never confuses bytes with a list and nobody can change a value another evaluation shares.
/// </summary>
public sealed class CelBytes : IEquatable<CelBytes>, IComparable<CelBytes>
{
    private readonly byte[] _bytes;

    public CelBytes(ReadOnlySpan<byte> bytes) => _bytes = bytes.ToArray();

    private CelBytes(byte[] owned) => _bytes = owned;

    public static CelBytes Empty { get; } = new([]);

    public int Length => _bytes.Length;

    public ReadOnlySpan<byte> Span => _bytes;

    public static CelBytes FromUtf8(string text) => new(System.Text.Encoding.UTF8.GetBytes(text));

    public CelBytes Concat(CelBytes other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var joined = new byte[_bytes.Length + other._bytes.Length];
        _bytes.CopyTo(joined, 0);
        other._bytes.CopyTo(joined, _bytes.Length);
        return new CelBytes(joined);
    }

    public string ToBase64() => Convert.ToBase64String(_bytes);

    public bool Equals(CelBytes? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => obj is CelBytes other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    /// <summary>Lexicographic order of the unsigned byte values, as CEL orders bytes.</summary>
    public int CompareTo(CelBytes? other) => other is null ? 1 : _bytes.AsSpan().SequenceCompareTo(other._bytes);

    /// <summary>Base64, the JSON spelling of bytes.</summary>
    public override string ToString() => ToBase64();
}
