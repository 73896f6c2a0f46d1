using System.Text;
using Fleet.Domain.Expressions.Cel;
using Fleet.Domain.Serialization;

namespace Fleet.Domain.Expressions;

/// <summary>
/// A string with <c>${...}</c> expressions (SPEC §3), compiled once and rendered per target.
/// A string that is exactly one <c>${...}</c> renders to the expression's value with its type;
/// otherwise each value is turned into text and spliced in. <c>$${</c> stands for a literal <c>${</c>.
/// </summary>
public sealed class Template
{
    // Literal text and expressions in order; a string element is literal text.
    private readonly IReadOnlyList<object> _parts;

    private Template(string text, IReadOnlyList<object> parts)
    {
        Text = text;
        _parts = parts;
        Expressions = [.. parts.OfType<TemplateExpression>()];
        var roots = new HashSet<string>(StringComparer.Ordinal);
        foreach (var expression in Expressions)
        {
            roots.UnionWith(expression.Compiled.RootVariables);
        }

        RootVariables = roots;
    }

    /// <summary>The template as written.</summary>
    public string Text { get; }

    public IReadOnlyList<TemplateExpression> Expressions { get; }

    public bool IsSingleExpression => _parts.Count == 1 && _parts[0] is TemplateExpression;

    public bool HasExpressions => Expressions.Count > 0;

    public IReadOnlySet<string> RootVariables { get; }

    public static TemplateParseResult Parse(string text, IExpressionEngine engine)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(engine);
        var parts = new List<object>();
        var errors = new List<TemplateError>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] != '$')
            {
                literal.Append(text[i++]);
                continue;
            }

            if (string.CompareOrdinal(text, i, "$${", 0, 3) == 0)
            {
                literal.Append("${");
                i += 3;
                continue;
            }

            if (string.CompareOrdinal(text, i, "${", 0, 2) != 0)
            {
                literal.Append(text[i++]);
                continue;
            }

            var end = FindClosingBrace(text, i + 2);
            if (end < 0)
            {
                errors.Add(new TemplateError(i, "unterminated '${' (no closing '}')"));
                break;
            }

            var expression = text[(i + 2)..end];
            var compiled = engine.Compile(expression);
            if (compiled.Expression is null)
            {
                errors.Add(new TemplateError(
                    i + 2 + compiled.ErrorOffset,
                    $"expression error at position {compiled.ErrorOffset} of '${{{expression}}}': {compiled.Error}"));
            }
            else
            {
                if (literal.Length > 0)
                {
                    parts.Add(literal.ToString());
                    literal.Clear();
                }

                parts.Add(new TemplateExpression(i, expression, compiled.Expression));
            }

            i = end + 1;
        }

        if (errors.Count > 0)
        {
            return new TemplateParseResult(null, errors);
        }

        if (literal.Length > 0)
        {
            parts.Add(literal.ToString());
        }

        return new TemplateParseResult(new Template(text, parts), []);
    }

    /// <summary>Renders with the typed rule: one whole-string expression keeps its value's type.</summary>
    /// <exception cref="ExpressionException">An expression failed; <see cref="ExpressionException.Offset"/> is into the template string.</exception>
    /// <param name="budget">Work shared with the other templates rendered together (e.g. one capability for one target); null: each expression only within its own limit.</param>
    public object? Render(IReadOnlyDictionary<string, object?> variables, EvaluationBudget? budget = null) =>
        IsSingleExpression ? Evaluate((TemplateExpression)_parts[0], variables, budget) : RenderString(variables, budget);

    /// <summary>Renders to text whatever the template's shape, for fields that are always strings (a file's path and content).</summary>
    /// <exception cref="ExpressionException">An expression failed; <see cref="ExpressionException.Offset"/> is into the template string.</exception>
    public string RenderString(IReadOnlyDictionary<string, object?> variables, EvaluationBudget? budget = null)
    {
        ArgumentNullException.ThrowIfNull(variables);
        if (_parts.Count == 1 && _parts[0] is string only)
        {
            return only;
        }

        var builder = new StringBuilder();
        foreach (var part in _parts)
        {
            builder.Append(part is TemplateExpression expression ? ToText(Evaluate(expression, variables, budget)) : (string)part);
        }

        return builder.ToString();
    }

    /// <summary>The template's literal text with every expression replaced by <paramref name="placeholder"/>, to check its fixed shape before any target exists.</summary>
    internal string WithPlaceholders(string placeholder) =>
        string.Concat(_parts.Select(p => p as string ?? placeholder));

    /// <summary>
    /// How a value reads when spliced into text: what CEL's <c>string()</c> gives for scalars (so
    /// <c>${1.5}</c> reads 1.5 and <c>${1u}</c> reads 1), bytes as UTF-8 text, and compact JSON for lists and maps.
    /// </summary>
    internal static string ToText(object? value) => value switch
    {
        null => "",
        string s => s,
        CelBytes bytes => Encoding.UTF8.GetString(bytes.Span),
        _ when CelFormat.ToText(CelValues.Normalize(value)) is { } text => text,
        _ => ValueJson.Serialize(value),
    };

    private static object? Evaluate(TemplateExpression expression, IReadOnlyDictionary<string, object?> variables, EvaluationBudget? budget)
    {
        try
        {
            return expression.Compiled.Evaluate(variables, budget);
        }
        catch (ExpressionException e)
        {
            throw new ExpressionException($"{e.Message} (in '${{{expression.Text}}}')", expression.Offset + 2 + e.Offset);
        }
    }

    /// <summary>
    /// Finds the <c>}</c> that closes an expression starting at <paramref name="start"/>, skipping CEL string
    /// literals (which may hold braces: quoted, triple-quoted, raw) and balanced braces (map literals);
    /// -1 when there is none.
    /// </summary>
    private static int FindClosingBrace(string text, int start)
    {
        var depth = 0;
        for (var j = start; j < text.Length; j++)
        {
            switch (text[j])
            {
                case '\'' or '"':
                    j = EndOfLiteral(text, start, j);
                    if (j < 0)
                    {
                        return -1;
                    }

                    break;
                case '{':
                    depth++;
                    break;
                case '}' when depth == 0:
                    return j;
                case '}':
                    depth--;
                    break;
            }
        }

        return -1;
    }

    /// <summary>The index of the last quote of the string literal opening at <paramref name="quote"/>, or -1.</summary>
    private static int EndOfLiteral(string text, int start, int quote)
    {
        // A raw literal (r'...', br'...') has no escapes: its backslashes are text.
        var prefix = quote;
        while (prefix > start && char.IsAsciiLetter(text[prefix - 1]))
        {
            prefix--;
        }

        var raw = text[prefix..quote].ToLowerInvariant() is "r" or "br";
        var q = text[quote];
        var triple = quote + 2 < text.Length && text[quote + 1] == q && text[quote + 2] == q;
        for (var j = quote + (triple ? 3 : 1); j < text.Length; j++)
        {
            if (text[j] == '\\' && !raw)
            {
                j++;
            }
            else if (text[j] == q && (!triple || (j + 2 < text.Length && text[j + 1] == q && text[j + 2] == q)))
            {
                return triple ? j + 2 : j;
            }
        }

        return -1;
    }
}
