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

        var chars = new char[bytes.Length];
        var status = Utf8.ToUtf16(bytes, chars, out var read, out var written, replaceInvalidSequences: false);
        if (status == OperationStatus.Done)
        {
            return new string(chars, 0, written);
        }

        // Columns count characters, as editors and the YAML errors do: the text of the bad byte's line before it.
        var text = chars.AsSpan(0, written);
        var lineStart = text.LastIndexOf('\n') + 1;
        var line = text.Count('\n') + 1;
        throw new UsageException($"{source}:{line}:{written - lineStart + 1}: invalid UTF-8 (byte 0x{bytes[read]:X2}): write the file in UTF-8");
    }
}
