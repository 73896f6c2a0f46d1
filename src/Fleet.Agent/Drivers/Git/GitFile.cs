using Fleet.Agent.Drivers.Pipeline;

namespace Fleet.Agent.Drivers.Git;

/// <summary>A file the driver wrote into the repository for a capability: what pruning may delete from it.</summary>
internal sealed class GitFile : IInventoryEntry
{
    public string Id { get; set; } = "";

    /// <summary>'/'-separated, relative to the repository's top.</summary>
    public string Path { get; set; } = "";

    /// <summary>The desired resource hash last written; equal hash and a different file on the branch is drift.</summary>
    public string Hash { get; set; } = "";

    /// <summary>
    /// The ids it depended on when written. Kept so the pipeline's removal order holds, although a file's removal cannot
    /// break another in the repository: what applies the path (Argo CD, Flux) orders deletions itself.
    /// </summary>
    public List<string> DependsOn { get; set; } = [];

    IEnumerable<string> IInventoryEntry.DependsOn => DependsOn;
}
