using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Fleet.Domain.Yaml;

/// <summary>
/// Builds the node tree of exactly one YAML document from the parser's events. It works with an explicit
/// stack rather than recursion and bounds nesting and alias expansion, so hostile input (deep nesting,
/// "billion laughs") costs an error message, not the hub's stack or memory.
/// </summary>
internal static class DocTreeBuilder
{
    public const int MaxDepth = 64;

    /// <summary>Scalar characters plus one per node, counting every alias in full.</summary>
    public const long MaxExpandedSize = 4L * 1024 * 1024;

    /// <summary>The root node, or null for an empty document; a syntax problem comes back in <paramref name="error"/>.</summary>
    public static DocNode? Build(string text, out YamlSyntaxError? error)
    {
        error = null;
        var anchors = new Dictionary<string, (DocNode Node, long Size)>(StringComparer.Ordinal);
        var stack = new Stack<DocFrame>();
        DocNode? root = null;
        var documents = 0;
        long expanded = 0;
        var lastMark = Mark.Empty;
        try
        {
            var parser = new Parser(new StringReader(text));
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                lastMark = current.End;
                DocNode? completed = null;
                long completedSize = 0;
                switch (current)
                {
                    case DocumentStart when ++documents > 1:
                        error = new YamlSyntaxError(current.Start, "expected a single YAML document, found another '---'");
                        return null;
                    case Scalar scalar:
                        completed = new DocScalar(scalar.Start, scalar.End, scalar.Value, scalar.Style);
                        completedSize = 1 + scalar.Value.Length;
                        expanded += completedSize;
                        Remember(anchors, scalar.Anchor, completed, completedSize);
                        break;
                    case AnchorAlias alias:
                        if (!anchors.TryGetValue(alias.Value.Value, out var target))
                        {
                            error = new YamlSyntaxError(alias.Start, $"alias '*{alias.Value.Value}' refers to no earlier anchor");
                            return null;
                        }

                        completed = target.Node;
                        expanded += target.Size;
                        break;
                    case SequenceStart start:
                        expanded++;
                        if (!Push(stack, new DocFrame(new DocSequence(start.Start), start.Anchor, expanded), start.Start, out error))
                        {
                            return null;
                        }

                        break;
                    case MappingStart start:
                        expanded++;
                        if (!Push(stack, new DocFrame(new DocMapping(start.Start), start.Anchor, expanded), start.Start, out error))
                        {
                            return null;
                        }

                        break;
                    case SequenceEnd or MappingEnd:
                        var frame = stack.Pop();
                        frame.Node.End = current.End;
                        completed = frame.Node;
                        completedSize = expanded - frame.SizeAtStart + 1;
                        Remember(anchors, frame.Anchor, completed, completedSize);
                        break;
                }

                if (expanded > MaxExpandedSize)
                {
                    error = new YamlSyntaxError(current.Start, $"the document is larger than {MaxExpandedSize / (1024 * 1024)} MiB once its aliases are expanded");
                    return null;
                }

                if (completed is null)
                {
                    continue;
                }

                if (stack.Count == 0)
                {
                    root = completed;
                }
                else
                {
                    stack.Peek().Add(completed);
                }
            }
        }
        catch (YamlException e)
        {
            error = new YamlSyntaxError(e.Start, e.Message);
            return null;
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner throws this on some malformed input (e.g. ": [\ns") instead of a YamlException;
            // it is still the user's syntax error, and the last event read is the best position there is.
            error = new YamlSyntaxError(lastMark, $"the text after this point is not valid YAML ({e.Message})");
            return null;
        }
        catch (ArgumentException) when (ReversedSurrogates(text, lastMark) is { } bad)
        {
            // YamlDotNet's scanner throws this for the escapes of a low surrogate followed by a high one ("\uDC00\uD800")
            // instead of the error it gives for any other unpaired surrogate; it is the user's text all the same.
            error = bad;
            return null;
        }

        return root is DocScalar { IsNull: true } ? null : root;
    }

    /// <summary>The first <c>\uXXXX</c> escape after <paramref name="from"/> that is an unpaired low surrogate.</summary>
    private static YamlSyntaxError? ReversedSurrogates(string text, Mark from)
    {
        for (var i = (int)from.Index; i + 5 < text.Length; i++)
        {
            if (text[i] == '\\' && text[i + 1] == 'u' && ushort.TryParse(text.AsSpan(i + 2, 4), System.Globalization.NumberStyles.HexNumber, null, out var unit)
                && char.IsLowSurrogate((char)unit))
            {
                var lineStart = text.LastIndexOf('\n', Math.Max(0, i - 1)) + 1;
                var line = text.AsSpan(0, i).Count('\n') + 1;
                return new YamlSyntaxError(new Mark(i, line, i - lineStart + 1), $"{text.Substring(i, 6)} is an unpaired surrogate, not a character");
            }
        }

        return null;
    }

    private static bool Push(Stack<DocFrame> stack, DocFrame frame, Mark at, out YamlSyntaxError? error)
    {
        error = null;
        if (stack.Count >= MaxDepth)
        {
            error = new YamlSyntaxError(at, $"the document is nested more than {MaxDepth} levels deep");
            return false;
        }

        stack.Push(frame);
        return true;
    }

    private static void Remember(Dictionary<string, (DocNode, long)> anchors, AnchorName anchor, DocNode node, long size)
    {
        if (!anchor.IsEmpty)
        {
            // YAML lets a later anchor of the same name shadow an earlier one.
            anchors[anchor.Value] = (node, size);
        }
    }
}
