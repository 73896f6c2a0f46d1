using System.Globalization;

namespace Fleet.Domain.Expressions.Cel;

/// <summary>Turns expression text into tokens; the first bad character stops it with its offset.</summary>
internal static class CelLexer
{
    public static List<CelToken> Tokenize(string text)
    {
        var tokens = new List<CelToken>();
        var i = 0;
        while (true)
        {
            i = SkipSpaceAndComments(text, i);
            if (i >= text.Length)
            {
                tokens.Add(new CelToken(CelTokenKind.End, text.Length, ""));
                return tokens;
            }

            var c = text[i];
            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                tokens.Add(Number(text, ref i));
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                tokens.Add(Word(text, ref i));
            }
            else if (c is '"' or '\'')
            {
                var start = i;
                i = CelLiterals.Read(text, start, start, raw: false, bytes: false, out var value);
                tokens.Add(new CelToken(CelTokenKind.String, start, text[start..i], value));
            }
            else if (c == '`')
            {
                tokens.Add(QuotedIdentifier(text, ref i));
            }
            else
            {
                tokens.Add(Punctuation(text, ref i));
            }
        }
    }

    private static int SkipSpaceAndComments(string text, int i)
    {
        while (i < text.Length)
        {
            var c = text[i];
            if (c is ' ' or '\t' or '\n' or '\r' or '\f')
            {
                i++;
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else
            {
                break;
            }
        }

        return i;
    }

    private static CelToken Number(string text, ref int i)
    {
        var start = i;
        if (text[i] == '0' && i + 2 < text.Length && text[i + 1] is 'x' or 'X' && char.IsAsciiHexDigit(text[i + 2]))
        {
            i += 2;
            while (i < text.Length && char.IsAsciiHexDigit(text[i]))
            {
                i++;
            }

            if (!ulong.TryParse(text.AsSpan(start + 2, i - start - 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
            {
                throw new CelCompileException($"integer literal {text[start..i]} is out of range", start);
            }

            return IntegerToken(text, ref i, start, hex);
        }

        SkipDigits(text, ref i);
        var isDouble = false;
        if (i + 1 < text.Length && text[i] == '.' && char.IsAsciiDigit(text[i + 1]))
        {
            isDouble = true;
            i++;
            SkipDigits(text, ref i);
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            var j = i + 1;
            if (j < text.Length && text[j] is '+' or '-')
            {
                j++;
            }

            if (j < text.Length && char.IsAsciiDigit(text[j]))
            {
                isDouble = true;
                i = j;
                SkipDigits(text, ref i);
            }
        }

        var literal = text[start..i];
        if (isDouble)
        {
            var value = double.Parse(literal, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);
            if (double.IsInfinity(value))
            {
                throw new CelCompileException($"double literal {literal} is out of range", start);
            }

            return new CelToken(CelTokenKind.Double, start, literal, value);
        }

        if (!ulong.TryParse(literal, NumberStyles.None, CultureInfo.InvariantCulture, out var magnitude))
        {
            throw new CelCompileException($"integer literal {literal} is out of range", start);
        }

        return IntegerToken(text, ref i, start, magnitude);
    }

    private static CelToken IntegerToken(string text, ref int i, int start, ulong magnitude)
    {
        if (i < text.Length && text[i] is 'u' or 'U')
        {
            i++;
            return new CelToken(CelTokenKind.Uint, start, text[start..i], magnitude);
        }

        return new CelToken(CelTokenKind.Int, start, text[start..i], magnitude);
    }

    private static void SkipDigits(string text, ref int i)
    {
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }
    }

    private static CelToken Word(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
        {
            i++;
        }

        var word = text[start..i];
        if (i < text.Length && text[i] is '"' or '\'' && StringPrefix(word) is var (raw, bytes) && (raw || bytes))
        {
            i = CelLiterals.Read(text, start, i, raw, bytes, out var value);
            return new CelToken(bytes ? CelTokenKind.Bytes : CelTokenKind.String, start, text[start..i], value);
        }

        var kind = word switch
        {
            "true" => CelTokenKind.True,
            "false" => CelTokenKind.False,
            "null" => CelTokenKind.Null,
            "in" => CelTokenKind.In,
            _ => CelTokenKind.Identifier,
        };
        return new CelToken(kind, start, word);
    }

    /// <summary>The prefixes a quote may carry: <c>r</c> (raw), <c>b</c> (bytes), <c>br</c> (raw bytes), in either case.</summary>
    private static (bool Raw, bool Bytes) StringPrefix(string word) => word.ToLowerInvariant() switch
    {
        "r" => (true, false),
        "b" => (false, true),
        "br" => (true, true),
        _ => (false, false),
    };

    private static CelToken QuotedIdentifier(string text, ref int i)
    {
        var start = i;
        i++;
        while (i < text.Length && text[i] != '`')
        {
            var c = text[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or '/' or ' '))
            {
                throw new CelCompileException($"unexpected character '{Describe(c)}' in a quoted field name (allowed: letters, digits, _ . - / and space)", i);
            }

            i++;
        }

        if (i >= text.Length || i == start + 1)
        {
            throw new CelCompileException(i >= text.Length ? "unterminated quoted field name" : "empty quoted field name", start);
        }

        i++;
        return new CelToken(CelTokenKind.QuotedIdentifier, start, text[start..i], text[(start + 1)..(i - 1)]);
    }

    private static CelToken Punctuation(string text, ref int i)
    {
        var start = i;
        var c = text[i];
        var next = i + 1 < text.Length ? text[i + 1] : '\0';
        (CelTokenKind Kind, int Length) token = (c, next) switch
        {
            ('=', '=') => (CelTokenKind.EqualEqual, 2),
            ('!', '=') => (CelTokenKind.NotEqual, 2),
            ('<', '=') => (CelTokenKind.LessEqual, 2),
            ('>', '=') => (CelTokenKind.GreaterEqual, 2),
            ('&', '&') => (CelTokenKind.AndAnd, 2),
            ('|', '|') => (CelTokenKind.OrOr, 2),
            ('!', _) => (CelTokenKind.Bang, 1),
            ('<', _) => (CelTokenKind.Less, 1),
            ('>', _) => (CelTokenKind.Greater, 1),
            ('+', _) => (CelTokenKind.Plus, 1),
            ('-', _) => (CelTokenKind.Minus, 1),
            ('*', _) => (CelTokenKind.Star, 1),
            ('/', _) => (CelTokenKind.Slash, 1),
            ('%', _) => (CelTokenKind.Percent, 1),
            ('.', _) => (CelTokenKind.Dot, 1),
            (',', _) => (CelTokenKind.Comma, 1),
            (':', _) => (CelTokenKind.Colon, 1),
            ('?', _) => (CelTokenKind.Question, 1),
            ('(', _) => (CelTokenKind.LeftParen, 1),
            (')', _) => (CelTokenKind.RightParen, 1),
            ('[', _) => (CelTokenKind.LeftBracket, 1),
            (']', _) => (CelTokenKind.RightBracket, 1),
            ('{', _) => (CelTokenKind.LeftBrace, 1),
            ('}', _) => (CelTokenKind.RightBrace, 1),
            _ => throw new CelCompileException(c switch
            {
                '=' => "unexpected character '=' (did you mean '=='?)",
                '&' => "unexpected character '&' (did you mean '&&'?)",
                '|' => "unexpected character '|' (did you mean '||'?)",
                _ => $"unexpected character '{Describe(c)}'",
            }, start),
        };
        i += token.Length;
        return new CelToken(token.Kind, start, text.Substring(start, token.Length));
    }

    private static string Describe(char c) => char.IsControl(c) || char.IsSurrogate(c) ? $"U+{(int)c:X4}" : c.ToString();
}
