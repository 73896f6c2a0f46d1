using Fleet.Domain.Diagnostics;

namespace Fleet.Domain.Yaml;

/// <summary>
/// Where every section reader of one document reports its problems, each at FILE:LINE:COLUMN. The readers share
/// only this: what one section found out about the document that another needs is passed to it, not left here.
/// </summary>
internal sealed class DiagnosticSink(string source, int firstLine, string text)
{
    private readonly ScalarPositions _positions = new(text);
    private readonly List<Diagnostic> _diagnostics = [];

    public IReadOnlyList<Diagnostic> Diagnostics => _diagnostics;

    public bool IsEmpty => _diagnostics.Count == 0;

    /// <summary>How many problems were reported so far (a reader compares it before and after one check).</summary>
    public int Count => _diagnostics.Count;

    /// <summary>The file (or "-") the document came from, for positions stored with what was read.</summary>
    public string Source => source;

    /// <summary>Whether a problem was reported for <paramref name="fieldPrefix"/> or anything under it.</summary>
    public bool HasErrorsUnder(string fieldPrefix) =>
        _diagnostics.Any(e => e.Field.StartsWith(fieldPrefix, StringComparison.Ordinal));

    /// <summary>The line of <paramref name="node"/> in the file, not in its document.</summary>
    public int Line(DocNode node) => firstLine + (int)node.Start.Line - 1;

    public void Report(DocNode node, string field, string message) =>
        _diagnostics.Add(new Diagnostic(source, Line(node), (int)node.Start.Column, field, message));

    /// <summary>A problem at character <paramref name="valueOffset"/> of a scalar's value, e.g. inside a <c>${...}</c>.</summary>
    public void ReportAt(DocScalar scalar, int valueOffset, string field, string message)
    {
        var (line, column) = _positions.Of(scalar, valueOffset);
        _diagnostics.Add(new Diagnostic(source, firstLine + line - 1, column, field, message));
    }
}
