namespace Fleet.Hub.Index;

public sealed class TargetIndexShardState
{
    public Dictionary<string, TargetIndexEntry> Entries { get; set; } = [];
}
