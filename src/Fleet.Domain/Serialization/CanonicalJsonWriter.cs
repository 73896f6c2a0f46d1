using System.Globalization;
using System.Text;
using Fleet.Domain.Expressions;
using Fleet.Domain.Expressions.Cel;

namespace Fleet.Domain.Serialization;

/// <summary>
/// A compact JSON writer whose output depends only on its input: strings escape exactly
/// <c>"</c>, <c>\</c> and control characters, lone surrogates become U+FFFD, and everything else is written as is.
/// System.Text.Json's encoders may change what they escape between releases, which would change
/// revision hashes on an upgrade; this never does.
/// </summary>
internal sealed class CanonicalJsonWriter(bool keepDoublesDouble = false)
{
    private readonly StringBuilder _builder = new();
    private readonly Stack<bool> _hasItems = new();
    private bool _afterName;

    public override string ToString() => _builder.ToString();

    public CanonicalJsonWriter StartObject() => Open('{');

    public CanonicalJsonWriter EndObject() => Close('}');

    public CanonicalJsonWriter StartArray() => Open('[');

    public CanonicalJsonWriter EndArray() => Close(']');

    public CanonicalJsonWriter Name(string name)
    {
        BeforeValue();
        AppendString(name);
        _builder.Append(':');
        // The value that follows belongs to this name: no comma before it.
        _afterName = true;
        return this;
    }

    public CanonicalJsonWriter String(string value)
    {
        BeforeValue();
        AppendString(value);
        return this;
    }

    public CanonicalJsonWriter Number(long value)
    {
        BeforeValue();
        _builder.Append(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    public CanonicalJsonWriter Bool(bool value)
    {
        BeforeValue();
        _builder.Append(value ? "true" : "false");
        return this;
    }

    public CanonicalJsonWriter Null()
    {
        BeforeValue();
        _builder.Append("null");
        return this;
    }

    /// <summary>Writes a value of the expression value model; map keys are sorted ordinally so equal maps give equal text.</summary>
    public CanonicalJsonWriter Value(object? value)
    {
        switch (value)
        {
            case null:
                return Null();
            case string s:
                return String(s);
            case bool b:
                return Bool(b);
            case double or float or decimal:
                var d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (double.IsFinite(d))
                {
                    BeforeValue();
                    var text = d.ToString("R", CultureInfo.InvariantCulture);
                    _builder.Append(text);
                    if (keepDoublesDouble && !text.Contains('.', StringComparison.Ordinal) && !text.Contains('E', StringComparison.Ordinal))
                    {
                        // 1.0, not 1: read back, a number without a fraction is an int.
                        _builder.Append(".0");
                    }

                    return this;
                }

                // JSON has no NaN or infinities; their names keep the value readable.
                return String(d.ToString(CultureInfo.InvariantCulture));
            case ulong u:
                BeforeValue();
                _builder.Append(u.ToString(CultureInfo.InvariantCulture));
                return this;
            case CelBytes bytes:
                return String(bytes.ToBase64());
            case CelType type:
                return String(type.Name);
            case IReadOnlyDictionary<object, object?> keyed:
                // A CEL map with int, uint or bool keys: JSON names are strings, so the keys are written as text.
                StartObject();
                foreach (var (name, item) in keyed.Select(kv => (Key: KeyText(kv.Key), kv.Value)).OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    Name(name).Value(item);
                }

                return EndObject();
            case var _ when ExpressionValues.IsInteger(value):
                return Number(Convert.ToInt64(value, CultureInfo.InvariantCulture));
            case var _ when ExpressionValues.IsMap(value):
                StartObject();
                foreach (var key in ExpressionValues.Keys(value).Order(StringComparer.Ordinal))
                {
                    ExpressionValues.TryGetKey(value, key, out var item);
                    Name(key).Value(item);
                }

                return EndObject();
            case var _ when ExpressionValues.IsList(value):
                StartArray();
                var count = ExpressionValues.Count(value);
                for (var i = 0; i < count; i++)
                {
                    Value(ExpressionValues.ElementAt(value, i));
                }

                return EndArray();
            default:
                return String(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
        }
    }

    private static string KeyText(object key) => key switch
    {
        bool b => b ? "true" : "false",
        _ => Convert.ToString(key, CultureInfo.InvariantCulture) ?? "",
    };

    private CanonicalJsonWriter Open(char c)
    {
        BeforeValue();
        _builder.Append(c);
        _hasItems.Push(false);
        return this;
    }

    private CanonicalJsonWriter Close(char c)
    {
        _hasItems.Pop();
        _builder.Append(c);
        return this;
    }

    private void BeforeValue()
    {
        if (_afterName)
        {
            _afterName = false;
            return;
        }

        if (_hasItems.Count == 0)
        {
            return;
        }

        if (_hasItems.Pop())
        {
            _builder.Append(',');
        }

        _hasItems.Push(true);
    }

    private void AppendString(string value)
    {
        _builder.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"':
                    _builder.Append("\\\"");
                    break;
                case '\\':
                    _builder.Append("\\\\");
                    break;
                case '\n':
                    _builder.Append("\\n");
                    break;
                case '\r':
                    _builder.Append("\\r");
                    break;
                case '\t':
                    _builder.Append("\\t");
                    break;
                case < ' ':
                    AppendEscape(c);
                    break;
                case var _ when char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]):
                    _builder.Append(c).Append(value[++i]);
                    break;
                case var _ when char.IsSurrogate(c):
                    // A lone surrogate is not Unicode text: no JSON reader gives it back, so write what UTF-8 would.
                    _builder.Append('\ufffd');
                    break;
                default:
                    _builder.Append(c);
                    break;
            }
        }

        _builder.Append('"');
    }

    private void AppendEscape(char c) => _builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
}
