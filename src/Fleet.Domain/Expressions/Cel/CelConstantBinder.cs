using System.Globalization;
using System.Text;

namespace Fleet.Domain.Expressions.Cel;

/// <summary>
/// Writes known values into an expression's text in place of the variables that hold them, so the expression can be
/// evaluated where those variables do not exist: the hub writes an Instance's <c>inputs</c> and <c>instance</c> into
/// the <c>readyWhen</c> conditions it sends, and the agent evaluates them with <c>self</c> alone. Only free references
/// are replaced (a comprehension variable of the same name shadows the constant, as in CEL), and field selections on a
/// constant are folded into the value they read, so <c>self.spec.replicas == inputs.replicas</c> becomes
/// <c>self.spec.replicas == 3</c>. Everything else in the text stays as written.
/// </summary>
internal sealed class CelConstantBinder
{
    private readonly string _text;
    private readonly IReadOnlyDictionary<string, object?> _constants;
    private readonly List<(int Start, int End, object? Value)> _replacements = [];

    private CelConstantBinder(string text, IReadOnlyDictionary<string, object?> constants)
    {
        _text = text;
        _constants = constants;
    }

    /// <summary>The expression with the constants written in.</summary>
    /// <exception cref="CelCompileException">The expression does not parse, or a value has no CEL literal.</exception>
    public static string Bind(string expression, IReadOnlyDictionary<string, object?> constants, CelLimits limits)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(constants);
        var binder = new CelConstantBinder(expression, constants);
        binder.Visit(CelParser.Parse(expression, limits), []);
        var text = new StringBuilder(expression);
        foreach (var (start, end, value) in binder._replacements.OrderByDescending(r => r.Start))
        {
            var literal = Literal(value);
            if (value is long or double && (literal.StartsWith('-') || NextIsDot(expression, end)))
            {
                // -3 as an operand and 3 before a selection (3.x would read as a double) need their own parentheses.
                literal = $"({literal})";
            }

            text.Remove(start, end - start).Insert(start, literal);
        }

        return text.ToString();
    }

    /// <summary>A value of the expression value model as CEL source text.</summary>
    internal static string Literal(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        string s => Quote(s),
        long l => l.ToString(CultureInfo.InvariantCulture),
        ulong u => u.ToString(CultureInfo.InvariantCulture) + "u",
        double d when double.IsFinite(d) => DoubleLiteral(d),
        IReadOnlyDictionary<string, object?> map =>
            "{" + string.Join(", ", map.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{Quote(kv.Key)}: {Literal(kv.Value)}")) + "}",
        IReadOnlyList<object?> list => "[" + string.Join(", ", list.Select(Literal)) + "]",
        _ when ExpressionValues.IsInteger(value) => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        _ => throw new CelCompileException($"a {ExpressionValues.TypeName(value)} value cannot be written into an expression", 0),
    };

    private static string DoubleLiteral(double d)
    {
        var text = d.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }

    private static string Quote(string s)
    {
        var builder = new StringBuilder("\"");
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '"' or '\\':
                    builder.Append('\\').Append(c);
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case < ' ' or '\u007f':
                    builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                case var _ when char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]):
                    builder.Append(c).Append(s[++i]);
                    break;
                case var _ when char.IsSurrogate(c):
                    // Not Unicode text: CEL strings cannot hold it, so write what a UTF-8 round trip gives.
                    builder.Append('\ufffd');
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    private static bool NextIsDot(string text, int index)
    {
        while (index < text.Length && char.IsWhiteSpace(text[index]))
        {
            index++;
        }

        return index < text.Length && text[index] == '.';
    }

    /// <summary>Walks the syntax tree noting the text spans of free references to constants.</summary>
    private void Visit(Expr expr, IReadOnlyCollection<string> locals)
    {
        switch (expr)
        {
            case IdentExpr ident when Constant(ident, locals, out var value):
                _replacements.Add((ident.Offset, NameEnd(ident), value));
                break;
            case SelectExpr { IsTest: false } select when Fold(select, locals):
                break;
            case SelectExpr select:
                Visit(select.Operand, locals);
                break;
            case CallExpr call:
                if (call.Target is not null)
                {
                    Visit(call.Target, locals);
                }

                foreach (var argument in call.Args)
                {
                    Visit(argument, locals);
                }

                break;
            case ComprehensionExpr comprehension:
                Visit(comprehension.Range, locals);
                IReadOnlyCollection<string> inner = [.. locals, comprehension.Variable];
                if (comprehension.Predicate is not null)
                {
                    Visit(comprehension.Predicate, inner);
                }

                if (comprehension.Transform is not null)
                {
                    Visit(comprehension.Transform, inner);
                }

                break;
            case IndexExpr index:
                Visit(index.Operand, locals);
                Visit(index.Index, locals);
                break;
            case ListExpr list:
                foreach (var element in list.Elements)
                {
                    Visit(element, locals);
                }

                break;
            case MapExpr map:
                foreach (var entry in map.Entries)
                {
                    Visit(entry.Key, locals);
                    Visit(entry.Value, locals);
                }

                break;
        }
    }

    /// <summary>
    /// Replaces <c>constant.a.b</c> with the value it reads, as far as each step is a key of a map (a missing key is
    /// left as a selection on the literal, so it fails on the agent exactly as it would have here).
    /// </summary>
    private bool Fold(SelectExpr select, IReadOnlyCollection<string> locals)
    {
        var chain = new List<SelectExpr>();
        Expr current = select;
        while (current is SelectExpr { IsTest: false } link)
        {
            chain.Insert(0, link);
            current = link.Operand;
        }

        if (current is not IdentExpr root || !Constant(root, locals, out var value))
        {
            return false;
        }

        var end = NameEnd(root);
        foreach (var link in chain)
        {
            var written = string.CompareOrdinal(_text, link.Offset, link.Field, 0, link.Field.Length) == 0;
            if (!written || value is not IReadOnlyDictionary<string, object?> map || !map.TryGetValue(link.Field, out var field))
            {
                // The rest stays a selection: on a backquoted name, a missing key, or a value that is not a map.
                break;
            }

            value = field;
            end = link.Offset + link.Field.Length;
        }

        _replacements.Add((root.Offset, end, value));
        return true;
    }

    private bool Constant(IdentExpr ident, IReadOnlyCollection<string> locals, out object? value)
    {
        value = null;
        return (ident.IsAbsolute || !locals.Contains(ident.Name)) && _constants.TryGetValue(ident.Name, out value);
    }

    /// <summary>Where the name ends; a leading dot (<c>.inputs</c>) is replaced along with it.</summary>
    private int NameEnd(IdentExpr ident) =>
        ident.IsAbsolute ? _text.IndexOf(ident.Name, ident.Offset, StringComparison.Ordinal) + ident.Name.Length : ident.Offset + ident.Name.Length;
}
