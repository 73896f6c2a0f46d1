using Fleet.Domain.Expressions;
using Fleet.Domain.Expressions.Cel;
using Fleet.Domain.Rendering;

namespace Fleet.Domain.Yaml;

/// <summary>
/// How the templates of one capability are checked: with the engine that knows the types of its inputs, and
/// which variables each kind of field may read. Made once the inputs are read, before any template is checked.
/// </summary>
internal sealed class TemplateScope(DiagnosticSink sink, IExpressionEngine engine, bool takesInputs)
{
    public IExpressionEngine Engine => engine;

    /// <summary>What resource templates may read: with inputs, also <c>inputs</c> and <c>instance</c>.</summary>
    public IReadOnlySet<string> ResourceVariables => WithInputs("target", "capability", "resources");

    /// <summary>
    /// What the hub knows when it decides which resources a target receives (with inputs, also <c>inputs</c> and
    /// <c>instance</c>): not the observed state of other resources.
    /// </summary>
    public IReadOnlySet<string> IncludeWhenVariables => WithInputs("target", "capability");

    /// <summary>
    /// What <c>readyWhen</c> may read: the object as the agent observes it on the cluster, and with inputs also
    /// <c>inputs</c> and <c>instance</c>, which the hub writes into the condition for each Instance before sending it.
    /// </summary>
    public IReadOnlySet<string> ReadyWhenVariables => WithInputs("self");

    /// <summary>Whether the capability declares inputs (a validation <c>rule</c> reads them).</summary>
    public bool TakesInputs => takesInputs;

    /// <summary>What a validation <c>rule</c> may read: the Instance's <c>inputs</c> and <c>instance</c>.</summary>
    public IReadOnlySet<string> RuleVariables => WithInputs();

    /// <summary>What a <c>resourceRule</c> may read: one rendered resource (<c>self</c>, <c>resource</c>) on one target.</summary>
    public IReadOnlySet<string> ResourceRuleVariables => WithInputs("self", "resource", "target", "capability");

    /// <summary>
    /// Compiles every <c>${...}</c> of a string field and checks that it reads only the variables
    /// <paramref name="allowed"/> there; errors point at the character in the source where it can be known.
    /// The <c>resources.&lt;id&gt;</c> it reads are added to <paramref name="references"/>.
    /// </summary>
    public Template? Check(DocScalar scalar, string field, IReadOnlySet<string> allowed, List<ResourceReference>? references = null)
    {
        var result = Template.Parse(scalar.Value, engine);
        foreach (var error in result.Errors)
        {
            sink.ReportAt(scalar, error.Offset, field, error.Message);
        }

        if (result.Template is not { } template)
        {
            return null;
        }

        var unknown = false;
        foreach (var expression in template.Expressions)
        {
            foreach (var root in expression.Compiled.RootVariables.Where(r => !allowed.Contains(r)).Order(StringComparer.Ordinal))
            {
                unknown = true;
                sink.ReportAt(scalar, expression.Offset, field,
                    $"unknown variable '{root}' in '${{{expression.Text}}}' (available here: {string.Join(", ", allowed.Order(StringComparer.Ordinal))})");
            }
        }

        if (unknown)
        {
            return null;
        }

        if (allowed.Contains("resources"))
        {
            NoteReferences(scalar, field, template, references);
        }

        return template;
    }

    /// <summary>The variables <paramref name="names"/>, and <c>inputs</c> and <c>instance</c> when the capability takes inputs.</summary>
    private HashSet<string> WithInputs(params string[] names) =>
        new(takesInputs ? [.. names, "inputs", "instance"] : names, StringComparer.Ordinal);

    private void NoteReferences(DocScalar scalar, string field, Template template, List<ResourceReference>? references)
    {
        foreach (var expression in template.Expressions)
        {
            if (expression.Compiled is not CelProgram program || !program.RootVariables.Contains("resources"))
            {
                continue;
            }

            if (program.ReadsWhole("resources"))
            {
                // The order of the resources is decided at apply time, so it must be visible in the text.
                sink.ReportAt(scalar, expression.Offset, field,
                    $"'${{{expression.Text}}}' must name the resource it reads, as resources.<id> (e.g. resources.db.status), not compute it");
            }

            foreach (var id in program.FieldsOf("resources").Order(StringComparer.Ordinal))
            {
                references?.Add(new ResourceReference(id, scalar, expression.Offset, field, expression.Text));
            }
        }
    }
}
