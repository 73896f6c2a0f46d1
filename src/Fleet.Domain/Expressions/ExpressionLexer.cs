using System.Globalization;
using System.Text;

namespace Fleet.Domain.Expressions;

/// <summary>Splits member-access expression text into tokens; the first bad character stops it with its offset.</summary>
internal static class ExpressionLexer
{
    public static bool TryTokenize(string text, List<Token> tokens, out string? error, out int errorOffset)
    {
        error = null;
        errorOffset = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                i++;
                continue;
            }

            var start = i;
            switch (c)
            {
                case '.':
                    tokens.Add(new Token(TokenKind.Dot, start, ".", null));
                    i++;
                    continue;
                case '[':
                    tokens.Add(new Token(TokenKind.LeftBracket, start, "[", null));
                    i++;
                    continue;
                case ']':
                    tokens.Add(new Token(TokenKind.RightBracket, start, "]", null));
                    i++;
                    continue;
                case '(':
                    tokens.Add(new Token(TokenKind.LeftParen, start, "(", null));
                    i++;
                    continue;
                case ')':
                    tokens.Add(new Token(TokenKind.RightParen, start, ")", null));
                    i++;
                    continue;
                case '=' when Peek(text, i + 1) == '=':
                    tokens.Add(new Token(TokenKind.EqualEqual, start, "==", null));
                    i += 2;
                    continue;
                case '!' when Peek(text, i + 1) == '=':
                    tokens.Add(new Token(TokenKind.NotEqual, start, "!=", null));
                    i += 2;
                    continue;
                case '!':
                    tokens.Add(new Token(TokenKind.Bang, start, "!", null));
                    i++;
                    continue;
                case '&' when Peek(text, i + 1) == '&':
                    tokens.Add(new Token(TokenKind.AndAnd, start, "&&", null));
                    i += 2;
                    continue;
                case '|' when Peek(text, i + 1) == '|':
                    tokens.Add(new Token(TokenKind.OrOr, start, "||", null));
                    i += 2;
                    continue;
                case '\'' or '"':
                    if (!TryReadString(text, ref i, out var value, out error, out errorOffset))
                    {
                        return false;
                    }

                    tokens.Add(new Token(TokenKind.String, start, text[start..i], value));
                    continue;
            }

            if (char.IsAsciiDigit(c))
            {
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }

                var digits = text[start..i];
                if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                {
                    error = $"integer literal {digits} is out of range";
                    errorOffset = start;
                    return false;
                }

                tokens.Add(new Token(TokenKind.Integer, start, digits, number));
                continue;
            }

            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                var word = text[start..i];
                var kind = word switch
                {
                    "true" => TokenKind.True,
                    "false" => TokenKind.False,
                    "null" => TokenKind.Null,
                    _ => TokenKind.Identifier,
                };
                tokens.Add(new Token(kind, start, word, null));
                continue;
            }

            error = c switch
            {
                '=' => "unexpected character '=' (did you mean '=='?)",
                '&' => "unexpected character '&' (did you mean '&&'?)",
                '|' => "unexpected character '|' (did you mean '||'?)",
                _ => $"unexpected character '{c}'",
            };
            errorOffset = start;
            return false;
        }

        tokens.Add(new Token(TokenKind.End, text.Length, "", null));
        return true;
    }

    private static char Peek(string text, int index) => index < text.Length ? text[index] : '\0';

    private static bool TryReadString(string text, ref int i, out string value, out string? error, out int errorOffset)
    {
        var start = i;
        var quote = text[i++];
        var builder = new StringBuilder();
        while (i < text.Length)
        {
            var c = text[i];
            if (c == quote)
            {
                i++;
                value = builder.ToString();
                error = null;
                errorOffset = 0;
                return true;
            }

            if (c is '\n' or '\r')
            {
                // As in CEL, a quoted literal stays on one line; a newline almost always means a missing quote.
                break;
            }

            if (c == '\\')
            {
                var escaped = Peek(text, i + 1);
                char? decoded = escaped switch
                {
                    '\\' => '\\',
                    '"' => '"',
                    '\'' => '\'',
                    'n' => '\n',
                    't' => '\t',
                    _ => null,
                };
                if (decoded is null)
                {
                    value = "";
                    error = i + 1 < text.Length ? $"unknown escape sequence '\\{escaped}'" : "unterminated string literal";
                    errorOffset = i + 1 < text.Length ? i : start;
                    return false;
                }

                builder.Append(decoded.Value);
                i += 2;
                continue;
            }

            builder.Append(c);
            i++;
        }

        value = "";
        error = "unterminated string literal";
        errorOffset = start;
        return false;
    }
}
