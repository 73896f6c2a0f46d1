using System.Globalization;
using System.Text;

namespace CelConformance;

/// <summary>
/// A small reader for the protobuf text format of cel-spec's test data: messages become
/// <see cref="ProtoMessage"/>s (field name to values, in order), scalars stay as their text, and quoted
/// strings are decoded (C escapes) into bytes, because string and bytes values are both written that way.
/// </summary>
internal sealed class TextProto
{
    private readonly string _text;
    private int _i;

    private TextProto(string text) => _text = text;

    public static ProtoMessage Parse(string text)
    {
        var reader = new TextProto(text);
        var message = reader.Fields(endChar: null);
        return message;
    }

    private ProtoMessage Fields(char? endChar)
    {
        var message = new ProtoMessage();
        while (true)
        {
            Skip();
            if (_i >= _text.Length)
            {
                if (endChar is not null)
                {
                    throw Error("unexpected end of input");
                }

                return message;
            }

            if (_text[_i] == endChar)
            {
                _i++;
                return message;
            }

            var name = Identifier();
            Skip();
            if (_text[_i] == ':')
            {
                _i++;
                Skip();
            }

            if (_text[_i] == '[')
            {
                _i++;
                while (true)
                {
                    Skip();
                    if (_text[_i] == ']')
                    {
                        _i++;
                        break;
                    }

                    message.Add(name, Value());
                    Skip();
                    if (_text[_i] == ',')
                    {
                        _i++;
                    }
                }
            }
            else
            {
                message.Add(name, Value());
            }

            Skip();
            if (_i < _text.Length && _text[_i] is ',' or ';')
            {
                _i++;
            }
        }
    }

    private object Value()
    {
        var c = _text[_i];
        if (c is '{' or '<')
        {
            _i++;
            return Fields(c == '{' ? '}' : '>');
        }

        if (c is '"' or '\'')
        {
            var bytes = new List<byte>();
            while (_i < _text.Length && _text[_i] is '"' or '\'')
            {
                Quoted(bytes);
                Skip();
            }

            return new ProtoBytes([.. bytes]);
        }

        var start = _i;
        while (_i < _text.Length && !char.IsWhiteSpace(_text[_i]) && _text[_i] is not (',' or ';' or '}' or '>' or ']' or '#'))
        {
            _i++;
        }

        return _text[start.._i];
    }

    private void Quoted(List<byte> bytes)
    {
        var quote = _text[_i++];
        while (_text[_i] != quote)
        {
            var c = _text[_i];
            if (c != '\\')
            {
                var length = char.IsHighSurrogate(c) ? 2 : 1;
                bytes.AddRange(Encoding.UTF8.GetBytes(_text.Substring(_i, length)));
                _i += length;
                continue;
            }

            var e = _text[_i + 1];
            _i += 2;
            switch (e)
            {
                case 'n': bytes.Add(10); break;
                case 't': bytes.Add(9); break;
                case 'r': bytes.Add(13); break;
                case 'a': bytes.Add(7); break;
                case 'b': bytes.Add(8); break;
                case 'f': bytes.Add(12); break;
                case 'v': bytes.Add(11); break;
                case '\\' or '\'' or '"' or '?' or '`': bytes.Add((byte)e); break;
                case 'x' or 'X':
                    var hex = Take(ch => char.IsAsciiHexDigit(ch), 2);
                    bytes.Add(byte.Parse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                    break;
                case >= '0' and <= '7':
                    _i--;
                    var octal = Take(ch => ch is >= '0' and <= '7', 3);
                    bytes.Add((byte)Convert.ToInt32(octal, 8));
                    break;
                case 'u' or 'U':
                    var code = int.Parse(_text.AsSpan(_i, e == 'u' ? 4 : 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                    _i += e == 'u' ? 4 : 8;
                    bytes.AddRange(Encoding.UTF8.GetBytes(char.ConvertFromUtf32(code)));
                    break;
                default:
                    throw Error($"unknown escape \\{e}");
            }
        }

        _i++;
    }

    private string Take(Func<char, bool> accept, int max)
    {
        var start = _i;
        while (_i < _text.Length && _i - start < max && accept(_text[_i]))
        {
            _i++;
        }

        return _text[start.._i];
    }

    private string Identifier()
    {
        var start = _i;
        if (_i < _text.Length && _text[_i] == '[')
        {
            // Extension names ([pkg.ext]) and Any type URLs ([type.googleapis.com/x.Y]) are field names too.
            _i = _text.IndexOf(']', _i) + 1;
            return _text[start.._i];
        }

        while (_i < _text.Length && (char.IsAsciiLetterOrDigit(_text[_i]) || _text[_i] is '_' or '.'))
        {
            _i++;
        }

        if (start == _i)
        {
            throw Error($"expected a field name, found '{_text[_i]}'");
        }

        return _text[start.._i];
    }

    private void Skip()
    {
        while (_i < _text.Length)
        {
            if (char.IsWhiteSpace(_text[_i]))
            {
                _i++;
            }
            else if (_text[_i] == '#')
            {
                while (_i < _text.Length && _text[_i] != '\n')
                {
                    _i++;
                }
            }
            else
            {
                break;
            }
        }
    }

    private FormatException Error(string message)
    {
        var line = _text[..Math.Min(_i, _text.Length)].Count(c => c == '\n') + 1;
        return new FormatException($"textproto line {line}: {message}");
    }
}
