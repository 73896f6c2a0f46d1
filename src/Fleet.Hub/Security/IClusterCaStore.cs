namespace Fleet.Hub.Security;

/// <summary>
/// Where the nodes of one cluster agree on their CA (with <c>--storage postgres</c>; a SQLite hub is one
/// node and keeps its CA in its data directory only).
/// </summary>
internal interface IClusterCaStore
{
    /// <summary>
    /// Stores <paramref name="candidate"/> as the cluster's CA unless one is stored already, and returns
    /// the one stored: of nodes starting at once, all get the same, whichever was first.
    /// </summary>
    Task<StoredCa> GetOrAddAsync(StoredCa candidate, DateTimeOffset now);

    /// <summary>The cluster's CA, or null while no secure node has started in it.</summary>
    Task<StoredCa?> FindAsync();
}
