using System.Text;
using Fleet.Domain.Diagnostics;
using Fleet.Domain.Expressions;

namespace Fleet.Domain.Yaml;

/// <summary>Reads Fleet's YAML documents (SPEC §2) and reports every problem with its file, line, column and field.</summary>
public static class DocumentParser
{
    /// <summary>Larger documents are refused before parsing: the hub must not spend unbounded work on one request.</summary>
    public const int MaxDocumentBytes = 2 * 1024 * 1024;

    /// <summary>Every non-empty document of a (multi-document) YAML stream, each checked on its own.</summary>
    public static IReadOnlyList<ParsedDocument> ParseAll(string text, string source, IExpressionEngine engine)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(engine);
        var documents = new List<ParsedDocument>();
        foreach (var chunk in DocumentSplitter.Split(text))
        {
            if (Parse(chunk.Text, source, chunk.Line, engine) is { } document)
            {
                documents.Add(document);
            }
        }

        return documents;
    }

    /// <summary>
    /// One document whose text starts on line <paramref name="firstLine"/> of <paramref name="source"/>;
    /// an empty document is an error here, since something was expected.
    /// </summary>
    public static ParsedDocument ParseOne(string yaml, string source, int firstLine, IExpressionEngine engine)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(engine);
        return Parse(yaml, source, firstLine, engine)
            ?? new ParsedDocument(source, firstLine, "", "", yaml, null, [new Diagnostic(source, firstLine, 1, "", "the document is empty")]);
    }

    /// <summary>
    /// A rollout strategy on its own (the fields of <c>spec.rollout</c>), as <c>fleet rollout start -f</c>
    /// takes it; every problem is reported with its position.
    /// </summary>
    public static (Model.RolloutStrategySpec? Strategy, IReadOnlyList<Diagnostic> Errors) ParseStrategy(string yaml, string source, IExpressionEngine engine)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        if (Encoding.UTF8.GetByteCount(yaml) > MaxDocumentBytes)
        {
            return (null, [new Diagnostic(source, 1, 1, "", $"the document is larger than {MaxDocumentBytes / (1024 * 1024)} MiB")]);
        }

        if (FindUnprintable(yaml) is { } bad)
        {
            return (null, [new Diagnostic(source, bad.Line, bad.Column, "", bad.Message)]);
        }

        var root = DocTreeBuilder.Build(yaml, out var syntaxError);
        if (syntaxError is not null)
        {
            return (null, [new Diagnostic(source, (int)syntaxError.Position.Line, (int)syntaxError.Position.Column, "", $"invalid YAML: {syntaxError.Message}")]);
        }

        if (root is null)
        {
            return (new Model.RolloutStrategySpec(), []);
        }

        var reader = new CapabilityReader(source, 1, yaml, engine);
        var strategy = reader.ReadStrategy(root);
        return (strategy, reader.Errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToList());
    }

    private static ParsedDocument? Parse(string yaml, string source, int firstLine, IExpressionEngine engine)
    {
        var bytes = Encoding.UTF8.GetByteCount(yaml);
        if (bytes > MaxDocumentBytes)
        {
            return Failed(yaml, source, firstLine, new Diagnostic(source, firstLine, 1, "", $"the document is larger than {MaxDocumentBytes / (1024 * 1024)} MiB ({bytes} bytes)"));
        }

        if (FindUnprintable(yaml) is { } bad)
        {
            return Failed(yaml, source, firstLine, new Diagnostic(source, firstLine + bad.Line - 1, bad.Column, "", bad.Message));
        }

        var root = DocTreeBuilder.Build(yaml, out var syntaxError);
        if (syntaxError is not null)
        {
            var line = firstLine + (int)syntaxError.Position.Line - 1;
            return Failed(yaml, source, firstLine, new Diagnostic(source, line, (int)syntaxError.Position.Column, "", $"invalid YAML: {syntaxError.Message}"));
        }

        if (root is null)
        {
            return null;
        }

        var reader = new CapabilityReader(source, firstLine, yaml, engine);
        var capability = reader.Read(root);
        return new ParsedDocument(source, firstLine, reader.Kind, reader.Name, yaml, capability, reader.Errors, reader.Instance);
    }

    /// <summary>
    /// The first character YAML does not allow in its text: control characters other than tab and line
    /// breaks, unpaired surrogates and U+FFFE/U+FFFF. YamlDotNet would read a NUL as the end of the text
    /// and pass unpaired surrogates through, so they are refused before it sees them.
    /// </summary>
    private static (int Line, int Column, string Message)? FindUnprintable(string yaml)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < yaml.Length; i++)
        {
            var c = yaml[i];
            if (c == '\n')
            {
                line++;
                lineStart = i + 1;
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < yaml.Length && char.IsLowSurrogate(yaml[i + 1]))
            {
                i++;
                continue;
            }

            if ((c < ' ' && c is not '\t' and not '\r') || char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF')
            {
                return (line, i - lineStart + 1, $"invalid character U+{(int)c:X4}: YAML text holds only printable characters (write it as an escape in a double-quoted string)");
            }
        }

        return null;
    }

    private static ParsedDocument Failed(string yaml, string source, int firstLine, Diagnostic error) =>
        new(source, firstLine, "", "", yaml, null, [error]);
}
