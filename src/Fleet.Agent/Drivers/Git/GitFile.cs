using Fleet.Agent.Drivers.Pipeline;

namespace Fleet.Agent.Drivers.Git;

/// <summary>
/// A file the driver wrote into the repository for a capability: what pruning may delete from it. Replaced whole
/// when the resource is written again, so what the inventory saved is never changed behind its back.
/// </summary>
/// <param name="Id">The resource id that wrote it.</param>
/// <param name="Path">'/'-separated, relative to the repository's top.</param>
/// <param name="Hash">The desired resource hash last written; equal hash and a different file on the branch is drift.</param>
/// <param name="Needs">
/// The ids it depended on when written, so the pipeline's removal order holds, although deleting a file cannot break
/// another in the repository (what applies the path orders deletions itself).
/// </param>
internal sealed record GitFile(string Id, string Path, string Hash, IReadOnlyList<string> Needs) : IInventoryEntry
{
    IEnumerable<string> IInventoryEntry.DependsOn => Needs;

    /// <summary>Whether <paramref name="other"/> records the same write (the list compared by its items).</summary>
    public bool SameAs(GitFile other) =>
        Id == other.Id && Path == other.Path && Hash == other.Hash && Needs.SequenceEqual(other.Needs);
}
