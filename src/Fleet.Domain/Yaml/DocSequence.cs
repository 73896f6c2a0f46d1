using YamlDotNet.Core;

namespace Fleet.Domain.Yaml;

internal sealed class DocSequence(Mark start) : DocNode(start)
{
    public List<DocNode> Items { get; } = [];

    public override string Description => "a list";
}
