using Fleet.Agent.Drivers.Pipeline;
using Fleet.Protocol.Agent.V1;

namespace Fleet.Agent.Drivers.Files;

/// <summary>One files converge: the paths its resources write, which pruning keeps whoever owned them before.</summary>
internal sealed class FilesPass(DesiredCapability desired) : ConvergePass<OwnedFile>(desired)
{
    /// <summary>Normalized desired path → the resource id that writes it. Owned files at these paths are kept.</summary>
    public Dictionary<string, string> Paths { get; } = new(StringComparer.Ordinal);
}
