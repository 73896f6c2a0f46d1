namespace Fleet.Domain.Yaml;

/// <summary>
/// Splits a YAML stream into its documents by their markers, before parsing, so a syntax error in one
/// document still lets every other document be checked and reported. A <c>---</c> or <c>...</c> at the
/// start of a line always ends the document before it in YAML (even inside a block scalar), so cutting
/// the text there is exact.
/// </summary>
internal static class DocumentSplitter
{
    public static IReadOnlyList<DocumentChunk> Split(string text)
    {
        var chunks = new List<DocumentChunk>();
        var start = 0;
        var startLine = 1;
        // Comments and directives alone do not make a document: they belong to the one after them.
        var hasContent = false;
        var line = 1;
        var position = 0;
        while (position < text.Length)
        {
            var newline = text.IndexOf('\n', position);
            var next = newline < 0 ? text.Length : newline + 1;
            var content = text.AsSpan(position, next - position).TrimEnd("\r\n");
            if (IsMarker(content, "---") && hasContent)
            {
                chunks.Add(new DocumentChunk(startLine, text[start..position]));
                start = position;
                startLine = line;
            }

            if (IsMarker(content, "..."))
            {
                chunks.Add(new DocumentChunk(startLine, text[start..next]));
                start = next;
                startLine = line + 1;
                hasContent = false;
            }
            else
            {
                var trimmed = content.TrimStart(" \t");
                hasContent |= !(trimmed.IsEmpty || trimmed[0] == '#' || (content.Length > 0 && content[0] == '%'));
            }

            position = next;
            line++;
        }

        if (start < text.Length)
        {
            chunks.Add(new DocumentChunk(startLine, text[start..]));
        }

        return chunks;
    }

    private static bool IsMarker(ReadOnlySpan<char> line, string marker) =>
        line.StartsWith(marker, StringComparison.Ordinal) && (line.Length == 3 || line[3] is ' ' or '\t');
}
