using Fleet.Domain.Diagnostics;
using Fleet.Domain.Inputs;

namespace Fleet.Domain.Yaml;

/// <summary>
/// Finds where a problem with an Instance's inputs is in its document, so it is reported at <c>FILE:LINE:COLUMN</c>
/// like every other problem. The document is read again from its text: a <see cref="ParsedDocument"/> keeps values, not nodes.
/// </summary>
internal sealed class InstanceLocator
{
    private static readonly object[] InputsSegments = ["spec", "inputs"];

    private readonly ParsedDocument _document;
    private readonly DocNode? _root;

    public InstanceLocator(ParsedDocument document)
    {
        _document = document;
        _root = DocTreeBuilder.Build(document.Text, out _);
    }

    /// <summary>
    /// <paramref name="violation"/> with its position: a wrong value at the value, an unknown input at its name, a missing
    /// one at the name of the nearest enclosing field that is there (<c>spec.inputs</c>, or <c>spec</c> without inputs).
    /// </summary>
    public Diagnostic At(InputViolation violation)
    {
        object[] path = [.. InputsSegments, .. violation.Segments];
        DocNode? node;
        switch (violation.Kind)
        {
            case InputViolationKind.UnknownKey:
                var parent = Walk(path[..^1]);
                node = parent.Complete && parent.Node is DocMapping map && Entry(map, (string)path[^1]) is { } entry
                    ? entry.Key
                    : parent.LastKey;
                break;
            case InputViolationKind.Missing:
                node = Walk(path[..^1]).LastKey;
                break;
            default:
                var found = Walk(path);
                node = found.Complete ? found.Node : found.LastKey;
                break;
        }

        return Diagnostic(node, violation.Path, violation.Message);
    }

    /// <summary>A problem about the value at <paramref name="path"/> (or the nearest field above it that is there).</summary>
    public Diagnostic At(IReadOnlyList<object> path, string field, string message)
    {
        var found = Walk(path);
        return Diagnostic(found.Complete ? found.Node : found.LastKey, field, message);
    }

    private (bool Complete, DocNode? Node, DocNode? LastKey) Walk(IReadOnlyList<object> path)
    {
        var node = _root;
        DocNode? lastKey = null;
        foreach (var segment in path)
        {
            switch (node, segment)
            {
                case (DocMapping map, string key) when Entry(map, key) is { } entry:
                    lastKey = entry.Key;
                    node = entry.Value;
                    break;
                case (DocSequence list, int index) when index >= 0 && index < list.Items.Count:
                    node = list.Items[index];
                    lastKey = node;
                    break;
                default:
                    return (false, node, lastKey);
            }
        }

        return (true, node, lastKey);
    }

    private static DocEntry? Entry(DocMapping map, string key) =>
        map.Entries.FirstOrDefault(e => e.Key is DocScalar scalar && scalar.Value == key);

    private Diagnostic Diagnostic(DocNode? node, string field, string message) => node is null
        ? new Diagnostic(_document.Source, _document.Line, 1, field, message)
        : new Diagnostic(_document.Source, _document.Line + (int)node.Start.Line - 1, (int)node.Start.Column, field, message);
}
