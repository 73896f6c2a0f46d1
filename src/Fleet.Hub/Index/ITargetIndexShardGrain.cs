namespace Fleet.Hub.Index;

/// <summary>One shard of the target index (key = shard number); see <see cref="TargetIndex"/>.</summary>
[Alias("Fleet.Hub.Index.ITargetIndexShardGrain")]
public interface ITargetIndexShardGrain : IGrainWithIntegerKey
{
    /// <summary>Interleaved, so that changes arriving together are written together (see the grain).</summary>
    [Alias("Upsert"), AlwaysInterleave]
    Task Upsert(TargetIndexEntry entry);

    [Alias("List"), ReadOnly]
    Task<List<TargetIndexEntry>> List();
}
