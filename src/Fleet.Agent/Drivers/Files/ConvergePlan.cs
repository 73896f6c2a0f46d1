namespace Fleet.Agent.Drivers.Files;

/// <summary>What one converge has seen of the desired resources so far; pruning decides from it.</summary>
internal sealed class ConvergePlan
{
    /// <summary>Resource ids seen, to reject duplicates.</summary>
    public HashSet<string> Ids { get; } = new(StringComparer.Ordinal);

    /// <summary>Normalized desired path → the resource id that writes it. Owned files at these paths are kept.</summary>
    public Dictionary<string, string> Paths { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Ids whose resource was not written this time (it failed, waits for a dependency, or awaits the hub's render):
    /// their previously written files are kept until a write succeeds.
    /// </summary>
    public HashSet<string> KeptIds { get; } = new(StringComparer.Ordinal);
}
