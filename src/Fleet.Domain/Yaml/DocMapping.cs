using YamlDotNet.Core;

namespace Fleet.Domain.Yaml;

internal sealed class DocMapping(Mark start) : DocNode(start)
{
    public List<DocEntry> Entries { get; } = [];

    public override string Description => "a mapping";
}
