namespace Fleet.Hub.Admin;

/// <summary>
/// The desired-set sizes that the documents of one apply checked so far would give each target, per delivery key, so
/// that three capabilities which each fit a target but together do not are refused together rather than stored.
/// </summary>
internal sealed class PendingDesiredSets
{
    private readonly Dictionary<string, Dictionary<string, long>> _sizes = new(StringComparer.Ordinal);

    /// <summary>What the documents checked before give <paramref name="target"/>, by key (none for a single-document apply).</summary>
    public IReadOnlyDictionary<string, long> For(string target) =>
        _sizes.TryGetValue(target, out var sizes) ? sizes : new Dictionary<string, long>(StringComparer.Ordinal);

    public void Add(string target, string key, long size)
    {
        if (!_sizes.TryGetValue(target, out var sizes))
        {
            _sizes[target] = sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        }

        sizes[key] = size;
    }
}
