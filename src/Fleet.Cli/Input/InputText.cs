using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Fleet.Cli.Connection;

namespace Fleet.Cli.Input;

/// <summary>
/// Reads what the user gives the CLI (a file, or stdin for <c>-</c>) as UTF-8 text, strictly: an invalid byte is
/// refused with its FILE:LINE:COLUMN instead of being replaced by U+FFFD (what <see cref="File.ReadAllText(string)"/>
/// does), which would apply something other than what the file says. A UTF-8 byte order mark is skipped.
/// </summary>
internal static class InputText
{
    /// <exception cref="UsageException">The file cannot be read or is not UTF-8.</exception>
    public static string ReadFile(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (UnauthorizedAccessException)
        {
            throw new UsageException($"{path}: permission denied");
        }
        catch (IOException e)
        {
            throw new UsageException($"{path}: {e.Message}");
        }

        return Decode(bytes, path);
    }

    /// <exception cref="UsageException">The stream is not UTF-8.</exception>
    public static string ReadStream(Stream stream, string source)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Decode(buffer.ToArray(), source);
    }

    /// <exception cref="UsageException"><paramref name="bytes"/> is not UTF-8; the message names the first invalid byte's position.</exception>
    public static string Decode(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.StartsWith(Encoding.UTF8.Preamble))
        {
            bytes = bytes[Encoding.UTF8.Preamble.Length..];
        }

        return TryDecode(bytes, out var text, out var bad)
            ? text
            : throw new UsageException($"{source}:{bad.Line}:{bad.Column}: invalid UTF-8 (byte 0x{bad.Byte:X2}): write the file in UTF-8");
    }

    /// <summary>
    /// The text of <paramref name="bytes"/>, or where its first invalid byte is: line and column as editors count them
    /// (characters of that line before it, plus one).
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, out string text, out (int Line, int Column, byte Byte) bad)
    {
        var chars = new char[bytes.Length];
        var status = Utf8.ToUtf16(bytes, chars, out var read, out var written, replaceInvalidSequences: false);
        if (status == OperationStatus.Done)
        {
            text = new string(chars, 0, written);
            bad = default;
            return true;
        }

        var before = chars.AsSpan(0, written);
        var lineStart = before.LastIndexOf('\n') + 1;
        text = "";
        bad = (before.Count('\n') + 1, written - lineStart + 1, bytes[read]);
        return false;
    }

    /// <summary>
    /// The lines of a stream as bytes (without their <c>\n</c> or <c>\r\n</c>), each as soon as it has arrived, so that a
    /// line that is not UTF-8 can be answered on its own.
    /// </summary>
    public static IEnumerable<byte[]> Lines(Stream stream)
    {
        var first = true;
        // Not disposed: the stream is the caller's (stdin).
        var input = new BufferedStream(stream, 64 * 1024);
        var line = new MemoryStream();
        int b;
        while ((b = input.ReadByte()) >= 0)
        {
            if (b != '\n')
            {
                line.WriteByte((byte)b);
                continue;
            }

            yield return Trim(line.ToArray(), first);
            line.SetLength(0);
            first = false;
        }

        if (line.Length > 0)
        {
            yield return Trim(line.ToArray(), first);
        }
    }

    /// <summary>Without a line's <c>\r</c> and, on the first line, a UTF-8 byte order mark.</summary>
    private static byte[] Trim(byte[] line, bool first)
    {
        if (first && line.AsSpan().StartsWith(Encoding.UTF8.Preamble))
        {
            line = line[Encoding.UTF8.Preamble.Length..];
        }

        return line is [.., (byte)'\r'] ? line[..^1] : line;
    }
}
