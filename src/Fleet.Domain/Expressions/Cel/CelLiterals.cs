using System.Globalization;
using System.Text;

namespace Fleet.Domain.Expressions.Cel;

/// <summary>
/// Reads quoted string and bytes literals: single or triple quotes, raw (no escapes) or not, and the
/// escapes of the language definition. In strings <c>\x</c> and octal escapes are code points; in bytes
/// they are octets, and <c>\u</c>/<c>\U</c> are not allowed.
/// </summary>
internal static class CelLiterals
{
    /// <summary>Reads the literal whose opening quote is at <paramref name="quote"/>; returns the index after it.</summary>
    public static int Read(string text, int start, int quote, bool raw, bool bytes, out object value)
    {
        var q = text[quote];
        var triple = quote + 2 < text.Length && text[quote + 1] == q && text[quote + 2] == q;
        var i = quote + (triple ? 3 : 1);
        var chars = new StringBuilder();
        var octets = bytes ? new List<byte>() : null;
        while (true)
        {
            if (i >= text.Length)
            {
                throw new CelCompileException("unterminated string literal", start);
            }

            var c = text[i];
            if (triple ? c == q && i + 2 < text.Length && text[i + 1] == q && text[i + 2] == q : c == q)
            {
                i += triple ? 3 : 1;
                break;
            }

            if (!triple && c is '\n' or '\r')
            {
                throw new CelCompileException("unterminated string literal (a quoted string cannot span lines; use ''' or \"\"\")", start);
            }

            if (c == '\\' && !raw)
            {
                i = Escape(text, i, bytes, chars, octets);
                continue;
            }

            var length = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            Append(text.AsSpan(i, length), chars, octets);
            i += length;
        }

        value = bytes ? new CelBytes([.. octets!]) : chars.ToString();
        return i;
    }

    private static void Append(ReadOnlySpan<char> text, StringBuilder chars, List<byte>? octets)
    {
        if (octets is null)
        {
            chars.Append(text);
            return;
        }

        Span<byte> buffer = stackalloc byte[8];
        var count = Encoding.UTF8.GetBytes(text, buffer);
        for (var k = 0; k < count; k++)
        {
            octets.Add(buffer[k]);
        }
    }

    private static int Escape(string text, int backslash, bool bytes, StringBuilder chars, List<byte>? octets)
    {
        if (backslash + 1 >= text.Length)
        {
            throw new CelCompileException("a string literal cannot end with a single '\\'", backslash);
        }

        var c = text[backslash + 1];
        char? simple = c switch
        {
            'a' => '\a',
            'b' => '\b',
            'f' => '\f',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'v' => '\v',
            '\\' or '\'' or '"' or '`' or '?' => c,
            _ => null,
        };
        if (simple is { } s)
        {
            Append([s], chars, octets);
            return backslash + 2;
        }

        int digits;
        int radix;
        switch (c)
        {
            case 'x' or 'X':
                digits = 2;
                radix = 16;
                break;
            case 'u' or 'U' when bytes:
                throw new CelCompileException($"'\\{c}' escapes are not allowed in bytes literals; use \\x or octal escapes", backslash);
            case 'u':
                digits = 4;
                radix = 16;
                break;
            case 'U':
                digits = 8;
                radix = 16;
                break;
            case >= '0' and <= '3':
                digits = 3;
                radix = 8;
                break;
            default:
                throw new CelCompileException($"invalid escape sequence '\\{c}'", backslash);
        }

        var first = radix == 8 ? backslash + 1 : backslash + 2;
        if (first + digits > text.Length || !IsDigits(text.AsSpan(first, digits), radix))
        {
            throw new CelCompileException($"invalid escape sequence '\\{c}': it needs {digits} {(radix == 8 ? "octal" : "hexadecimal")} digits", backslash);
        }

        var code = radix == 16
            ? int.Parse(text.AsSpan(first, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
            : Convert.ToInt32(text.Substring(first, digits), 8);
        var end = first + digits;
        if (octets is not null && (c is 'x' or 'X' || radix == 8))
        {
            octets.Add((byte)code);
            return end;
        }

        if (code is >= 0xD800 and <= 0xDFFF || code > 0x10FFFF || code < 0)
        {
            throw new CelCompileException($"invalid escape sequence: U+{code:X4} is not a Unicode code point", backslash);
        }

        Append(char.ConvertFromUtf32(code), chars, octets);
        return end;
    }

    private static bool IsDigits(ReadOnlySpan<char> span, int radix)
    {
        foreach (var d in span)
        {
            if (radix == 16 ? !char.IsAsciiHexDigit(d) : d is < '0' or > '7')
            {
                return false;
            }
        }

        return true;
    }
}
