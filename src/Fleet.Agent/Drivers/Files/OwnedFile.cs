using System.Text.Json.Serialization;
using Fleet.Agent.Drivers.Pipeline;

namespace Fleet.Agent.Drivers.Files;

/// <summary>
/// A file the driver wrote for a capability. Ownership is by path: it is what pruning may delete, and what no
/// other capability may write.
/// </summary>
/// <param name="Id">The resource id that last wrote the file.</param>
/// <param name="Path">Normalized path relative to the root, '/'-separated.</param>
/// <param name="Hash">The desired resource's hash when it was written.</param>
/// <param name="Mode">Octal permission bits as written, e.g. <c>0644</c>.</param>
/// <param name="WrittenAt">When the driver claimed the file; for people reading the inventory.</param>
internal sealed record OwnedFile(string Id, string Path, string Hash, string Mode, DateTimeOffset WrittenAt) : IInventoryEntry
{
    /// <summary>None: a file's removal cannot break another file, so no removal waits for a dependent.</summary>
    [JsonIgnore]
    public IEnumerable<string> DependsOn => [];
}
