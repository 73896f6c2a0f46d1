using YamlDotNet.Core;

namespace Fleet.Domain.Yaml;

/// <summary>A collection still being read by <see cref="DocTreeBuilder"/>, with the key waiting for its value.</summary>
internal sealed class DocFrame(DocNode node, AnchorName anchor, long sizeAtStart)
{
    private DocNode? _pendingKey;

    public DocNode Node { get; } = node;

    public AnchorName Anchor { get; } = anchor;

    public long SizeAtStart { get; } = sizeAtStart;

    public void Add(DocNode child)
    {
        switch (Node)
        {
            case DocSequence sequence:
                sequence.Items.Add(child);
                break;
            case DocMapping when _pendingKey is null:
                _pendingKey = child;
                break;
            case DocMapping mapping:
                mapping.Entries.Add(new DocEntry(_pendingKey!, child));
                _pendingKey = null;
                break;
        }
    }
}
