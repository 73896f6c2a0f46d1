using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Fleet.Domain.Expressions.Cel;

/// <summary>
/// <c>matches</c> with RE2 semantics on .NET's linear-time engine (<see cref="RegexOptions.NonBacktracking"/>):
/// constructs RE2 lacks (backreferences, lookaround, atomic groups, conditionals) are refused, and where the
/// two syntaxes read the same text differently the pattern is rewritten to RE2's meaning (<c>\d \w \s</c>
/// are ASCII, <c>$</c> is the end of the text unless <c>(?m)</c>, <c>.</c> is a code point, <c>(?P&lt;name&gt;</c>).
/// </summary>
internal static class CelRegex
{
    /// <summary>RE2 refuses repetition counts above 1000.</summary>
    private const int MaxRepeat = 1000;

    private const int CacheSize = 256;

    private const string AnyCodePoint = @"(?:[\uD800-\uDBFF][\uDC00-\uDFFF]|.)";

    private static readonly ConcurrentDictionary<(string, TimeSpan), Regex> Cache = new();

    /// <summary>Compiles (or finds cached) <paramref name="pattern"/>; null and an error message when RE2 would refuse it.</summary>
    public static Regex? Compile(string pattern, CelLimits limits, out string? error)
    {
        if (Cache.TryGetValue((pattern, limits.RegexTimeout), out var cached))
        {
            error = null;
            return cached;
        }

        if (pattern.Length > limits.MaxRegexLength)
        {
            error = $"regular expression is longer than {limits.MaxRegexLength} characters";
            return null;
        }

        try
        {
            var regex = new Regex(Translate(pattern), RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, limits.RegexTimeout);
            if (Cache.Count >= CacheSize)
            {
                // Patterns built at run time could grow the cache without end; starting over is cheap and rare.
                Cache.Clear();
            }

            Cache[(pattern, limits.RegexTimeout)] = regex;
            error = null;
            return regex;
        }
        catch (ArgumentException e)
        {
            error = $"invalid regular expression '{pattern}': {e.Message}";
            return null;
        }
        catch (NotSupportedException e)
        {
            error = $"invalid regular expression '{pattern}': {e.Message}";
            return null;
        }
    }

    public static object IsMatch(Regex regex, string input)
    {
        // A first match also builds the engine's states, which the regex keeps: one more try is much cheaper, and
        // tells a slow start on a busy machine from a match that is really too slow.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return regex.IsMatch(input);
            }
            catch (RegexMatchTimeoutException) when (attempt == 1)
            {
            }
            catch (RegexMatchTimeoutException)
            {
                return new CelError($"regular expression match took longer than {regex.MatchTimeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms");
            }
        }
    }

    /// <exception cref="ArgumentException">The pattern uses something RE2 does not have.</exception>
    internal static string Translate(string pattern)
    {
        var multiline = HasMultilineFlag(pattern);
        var output = new StringBuilder(pattern.Length + 16);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                i = Escape(pattern, i, inClass, output);
                continue;
            }

            if (inClass)
            {
                if (c == '[' && i + 1 < pattern.Length && pattern[i + 1] == ':')
                {
                    i = PosixClass(pattern, i, output);
                    continue;
                }

                if (c == ']')
                {
                    inClass = false;
                }

                output.Append(c);
                continue;
            }

            switch (c)
            {
                case '[':
                    inClass = true;
                    output.Append(c);
                    // A ']' right after '[' or '[^' is a literal in RE2.
                    if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                    {
                        output.Append('^');
                        i++;
                    }

                    if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                    {
                        output.Append(@"\]");
                        i++;
                    }

                    break;
                case '(':
                    i = Group(pattern, i, output);
                    break;
                case '$':
                    output.Append(multiline ? "$" : "\\z");
                    break;
                case '.':
                    output.Append(AnyCodePoint);
                    break;
                case '{':
                    i = Repeat(pattern, i, output);
                    break;
                default:
                    output.Append(c);
                    break;
            }
        }

        return output.ToString();
    }

    private static bool HasMultilineFlag(string pattern)
    {
        var flags = Regex.Matches(pattern, @"\(\?([a-zA-Z]*)(?:-[a-zA-Z]*)?[:)]");
        return flags.Any(m => m.Groups[1].Value.Contains('m', StringComparison.Ordinal));
    }

    private static int Escape(string pattern, int i, bool inClass, StringBuilder output)
    {
        if (i + 1 >= pattern.Length)
        {
            throw new ArgumentException("trailing backslash at end of expression");
        }

        var c = pattern[i + 1];
        switch (c)
        {
            case >= '1' and <= '9':
                throw new ArgumentException($"backreferences such as \\{c} are not supported (RE2 syntax)");
            case 'k' or 'g':
                throw new ArgumentException($"\\{c} backreferences are not supported (RE2 syntax)");
            case 'd':
                output.Append(inClass ? "0-9" : "[0-9]");
                return i + 1;
            case 'D':
                output.Append(inClass ? @"\D" : "[^0-9]");
                return i + 1;
            case 'w':
                output.Append(inClass ? "0-9A-Za-z_" : "[0-9A-Za-z_]");
                return i + 1;
            case 'W':
                output.Append(inClass ? @"\W" : "[^0-9A-Za-z_]");
                return i + 1;
            case 's':
                output.Append(inClass ? @"\t\n\f\r " : @"[\t\n\f\r ]");
                return i + 1;
            case 'S':
                output.Append(inClass ? @"\S" : @"[^\t\n\f\r ]");
                return i + 1;
            case 'C':
                throw new ArgumentException(@"\C (any byte) is not supported");
            case 'Q':
                var end = pattern.IndexOf(@"\E", i + 2, StringComparison.Ordinal);
                var literal = end < 0 ? pattern[(i + 2)..] : pattern[(i + 2)..end];
                output.Append(inClass ? literal.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("]", @"\]", StringComparison.Ordinal) : Regex.Escape(literal));
                return end < 0 ? pattern.Length - 1 : end + 1;
            case 'p' or 'P' when i + 2 < pattern.Length && pattern[i + 2] == '{':
                var classEnd = pattern.IndexOf('}', i + 2);
                if (classEnd < 0)
                {
                    throw new ArgumentException(@"unterminated \p{...} class");
                }

                output.Append(pattern, i, classEnd - i + 1);
                return classEnd;
            case 'p' or 'P' when i + 2 < pattern.Length:
                // RE2 allows a one-letter class without braces (\pL); .NET needs them.
                output.Append('\\').Append(c).Append('{').Append(pattern[i + 2]).Append('}');
                return i + 2;
            case 'x' when i + 2 < pattern.Length && pattern[i + 2] == '{':
                var close = pattern.IndexOf('}', i + 3);
                if (close < 0 || !int.TryParse(pattern.AsSpan(i + 3, close - i - 3), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
                    || code is < 0 or > 0x10FFFF or (>= 0xD800 and <= 0xDFFF))
                {
                    throw new ArgumentException(@"invalid \x{...} escape");
                }

                var text = char.ConvertFromUtf32(code);
                output.Append(inClass && text.Length > 1 ? text : Regex.Escape(text));
                return close;
            case 'z':
                output.Append(@"\z");
                return i + 1;
            default:
                output.Append('\\').Append(c);
                return i + 1;
        }
    }

    private static int Group(string pattern, int i, StringBuilder output)
    {
        if (i + 1 >= pattern.Length || pattern[i + 1] != '?')
        {
            output.Append('(');
            return i;
        }

        var rest = pattern.AsSpan(i + 2);
        if (rest.StartsWith("P<"))
        {
            output.Append("(?<");
            return i + 3;
        }

        if (rest.StartsWith("P=") || rest.StartsWith("P>"))
        {
            throw new ArgumentException("named backreferences and recursion are not supported (RE2 syntax)");
        }

        if (rest.StartsWith("=") || rest.StartsWith("!") || rest.StartsWith("<=") || rest.StartsWith("<!"))
        {
            throw new ArgumentException("lookahead and lookbehind are not supported (RE2 syntax)");
        }

        if (rest.StartsWith(">") || rest.StartsWith("(") || rest.StartsWith("#") || rest.StartsWith("'"))
        {
            throw new ArgumentException("atomic groups, conditionals and comments are not supported (RE2 syntax)");
        }

        if (rest.StartsWith("<"))
        {
            output.Append("(?<");
            return i + 2;
        }

        var flagsEnd = 0;
        while (flagsEnd < rest.Length && (char.IsAsciiLetter(rest[flagsEnd]) || rest[flagsEnd] == '-'))
        {
            if (rest[flagsEnd] is not ('i' or 'm' or 's' or 'U' or '-'))
            {
                throw new ArgumentException($"unknown flag '{rest[flagsEnd]}' (RE2 has i, m, s and U)");
            }

            if (rest[flagsEnd] == 'U')
            {
                throw new ArgumentException("flag U (ungreedy) is not supported");
            }

            flagsEnd++;
        }

        output.Append("(?").Append(rest[..flagsEnd]);
        return i + 1 + flagsEnd;
    }

    private static int Repeat(string pattern, int i, StringBuilder output)
    {
        var close = pattern.IndexOf('}', i);
        var body = close < 0 ? "" : pattern[(i + 1)..close];
        var parts = body.Split(',');
        if (close < 0 || parts.Length > 2 || parts[0].Length == 0 || !parts.All(p => p.Length == 0 || p.All(char.IsAsciiDigit)))
        {
            // Not a repetition: RE2 and .NET both read the brace literally.
            output.Append(@"\{");
            return i;
        }

        foreach (var part in parts.Where(p => p.Length > 0))
        {
            if (part.Length > 4 || int.Parse(part, CultureInfo.InvariantCulture) > MaxRepeat)
            {
                throw new ArgumentException($"repetition count {{{body}}} is larger than {MaxRepeat}");
            }
        }

        output.Append(pattern, i, close - i + 1);
        return close;
    }

    private static int PosixClass(string pattern, int i, StringBuilder output)
    {
        var close = pattern.IndexOf(":]", i + 2, StringComparison.Ordinal);
        if (close < 0)
        {
            output.Append(@"\[");
            return i;
        }

        var name = pattern[(i + 2)..close];
        var negated = name.StartsWith('^');
        var set = (negated ? name[1..] : name) switch
        {
            "alnum" => "0-9A-Za-z",
            "alpha" => "A-Za-z",
            "ascii" => @"\x00-\x7F",
            "blank" => @"\t ",
            "cntrl" => @"\x00-\x1F\x7F",
            "digit" => "0-9",
            "graph" => @"!-~",
            "lower" => "a-z",
            "print" => @" -~",
            "punct" => @"!-/:-@\[-`{-~",
            "space" => @"\t\n\v\f\r ",
            "upper" => "A-Z",
            "word" => "0-9A-Za-z_",
            "xdigit" => "0-9A-Fa-f",
            _ => throw new ArgumentException($"unknown character class [:{name}:]"),
        };
        if (negated)
        {
            throw new ArgumentException($"negated class [:{name}:] is not supported");
        }

        output.Append(set);
        return close + 1;
    }
}
