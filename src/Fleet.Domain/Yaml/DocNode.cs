using YamlDotNet.Core;

namespace Fleet.Domain.Yaml;

/// <summary>A node of one YAML document with where it starts and ends, so every diagnostic can point at its text.</summary>
internal abstract class DocNode(Mark start)
{
    public Mark Start { get; } = start;

    public Mark End { get; set; } = start;

    /// <summary>What the node is, for "must be a string, not a list" messages.</summary>
    public abstract string Description { get; }
}
