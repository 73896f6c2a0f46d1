namespace Fleet.Hub.Index;

/// <summary>
/// The target index is split over <see cref="ShardCount"/> grains by a stable hash of the target name,
/// so no single grain is hot when thousands of agents connect at once.
/// </summary>
internal static class TargetIndex
{
    public const int ShardCount = 16;

    public static ITargetIndexShardGrain ShardFor(IGrainFactory grains, string target) =>
        grains.GetGrain<ITargetIndexShardGrain>(ShardOf(target));

    public static int ShardOf(string target)
    {
        // FNV-1a: string.GetHashCode is randomised per process and would move targets between shards.
        var hash = 2166136261u;
        foreach (var c in target)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % ShardCount);
    }

    public static async Task<List<TargetIndexEntry>> ListAll(IGrainFactory grains)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, ShardCount)
            .Select(i => grains.GetGrain<ITargetIndexShardGrain>(i).List()));
        return shards.SelectMany(s => s).OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
    }
}
