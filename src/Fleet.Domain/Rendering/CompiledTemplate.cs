using Fleet.Domain.Expressions;
using Fleet.Domain.Expressions.Cel;

namespace Fleet.Domain.Rendering;

/// <summary>A template of one field compiled once per revision; a compile error is kept and reported when rendering.</summary>
internal sealed class CompiledTemplate
{
    private readonly Template? _template;
    private readonly string? _error;

    public CompiledTemplate(string text, IExpressionEngine engine)
    {
        Text = text;
        var parsed = Template.Parse(text, engine);
        _template = parsed.Template;
        _error = parsed.Template is null ? string.Join("; ", parsed.Errors.Select(e => e.Message)) : null;
        ResourceReferences = parsed.Template is null
            ? new HashSet<string>()
            : parsed.Template.Expressions
                .Select(e => e.Compiled)
                .OfType<CelProgram>()
                .SelectMany(p => p.FieldsOf("resources"))
                .ToHashSet(StringComparer.Ordinal);
    }

    public string Text { get; }

    /// <summary>Whether the template compiled and reads no variable: it renders the same everywhere, so its failure is known before any target.</summary>
    public bool IsConstant => _template is { RootVariables.Count: 0 };

    /// <summary>The other resources this template reads (<c>resources.&lt;id&gt;</c>).</summary>
    public IReadOnlySet<string> ResourceReferences { get; }

    public object? Render(IReadOnlyDictionary<string, object?> variables, EvaluationBudget? budget = null) =>
        _template is not null ? _template.Render(variables, budget) : throw new ExpressionException(_error!);

    public string RenderString(IReadOnlyDictionary<string, object?> variables, EvaluationBudget? budget = null) =>
        _template is not null ? _template.RenderString(variables, budget) : throw new ExpressionException(_error!);
}
