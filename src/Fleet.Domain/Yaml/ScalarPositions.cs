using YamlDotNet.Core;

namespace Fleet.Domain.Yaml;

/// <summary>
/// Maps an offset inside a scalar's value back to a line and column of the source, so an expression
/// error points at the very character. Exact for single-line plain and quoted scalars (escapes and
/// <c>''</c> accounted for) and for literal block scalars; other multi-line forms fold lines, and there
/// the scalar's start is the honest answer.
/// </summary>
internal sealed class ScalarPositions(string text)
{
    private string[]? _lines;

    /// <summary>1-based line and column within the document.</summary>
    public (int Line, int Column) Of(DocScalar scalar, int valueOffset)
    {
        var start = scalar.Start;
        var (line, column) = ((int)start.Line, (int)start.Column);
        var singleLine = scalar.End.Line == start.Line;
        return scalar.Style switch
        {
            ScalarStyle.Plain when singleLine => (line, column + valueOffset),
            ScalarStyle.SingleQuoted when singleLine => (line, column + SingleQuotedSourceOffset(start, valueOffset)),
            ScalarStyle.DoubleQuoted when singleLine => (line, column + DoubleQuotedSourceOffset(start, valueOffset)),
            ScalarStyle.Literal => Literal(scalar, valueOffset),
            _ => (line, column),
        };
    }

    private int SingleQuotedSourceOffset(Mark start, int valueOffset)
    {
        var i = (int)start.Index + 1;
        for (var v = 0; v < valueOffset && i < text.Length; v++)
        {
            i += text[i] == '\'' && i + 1 < text.Length && text[i + 1] == '\'' ? 2 : 1;
        }

        return i - (int)start.Index;
    }

    private int DoubleQuotedSourceOffset(Mark start, int valueOffset)
    {
        var i = (int)start.Index + 1;
        var v = 0;
        while (v < valueOffset && i < text.Length)
        {
            if (text[i] != '\\' || i + 1 >= text.Length)
            {
                i++;
                v++;
                continue;
            }

            switch (text[i + 1])
            {
                case 'x':
                    i += 4;
                    v++;
                    break;
                case 'u':
                    i += 6;
                    v++;
                    break;
                case 'U':
                    // Beyond the BMP the one code point is two UTF-16 chars of the value.
                    var hex = text.AsSpan(Math.Min(i + 2, text.Length), Math.Min(8, text.Length - Math.Min(i + 2, text.Length)));
                    v += int.TryParse(hex, System.Globalization.NumberStyles.HexNumber, null, out var cp) && cp > 0xFFFF ? 2 : 1;
                    i += 10;
                    break;
                default:
                    i += 2;
                    v++;
                    break;
            }
        }

        return i - (int)start.Index;
    }

    private (int Line, int Column) Literal(DocScalar scalar, int valueOffset)
    {
        // Value line k is source line (header line + 1 + k) with the block's indentation removed.
        var value = scalar.Value;
        var before = value.AsSpan(0, Math.Min(valueOffset, value.Length));
        var k = before.Count('\n');
        var lineStart = before.LastIndexOf('\n') + 1;
        var lineEnd = value.IndexOf('\n', lineStart);
        var valueLine = lineEnd < 0 ? value[lineStart..] : value[lineStart..lineEnd];
        _lines ??= text.Split('\n');
        var headerLine = (int)scalar.Start.Line;
        var sourceIndex = headerLine + k; // 0-based index of 1-based line (Start.Line + 1 + k)
        if (sourceIndex < _lines.Length)
        {
            var sourceLine = _lines[sourceIndex].TrimEnd('\r');
            if (sourceLine.EndsWith(valueLine, StringComparison.Ordinal))
            {
                return (headerLine + 1 + k, sourceLine.Length - valueLine.Length + (valueOffset - lineStart) + 1);
            }
        }

        return (headerLine, (int)scalar.Start.Column);
    }
}
