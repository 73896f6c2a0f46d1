using Fleet.Domain.Expressions;
using Fleet.Domain.Model;
using Fleet.Domain.Rendering;
using Fleet.Domain.Serialization;

namespace Fleet.Domain.Validation;

/// <summary>
/// The validations of one capability revision (SPEC §7), compiled once: <c>rule</c>s over an Instance's <c>inputs</c> and
/// <c>resourceRule</c>s over every resource a render produced. A rule that cannot be evaluated (it reads a field the
/// resource lacks without <c>has()</c>, or gives no bool) counts as violated: a policy that cannot say yes must not let the
/// resource through.
/// </summary>
internal sealed class CompiledValidations
{
    private readonly IReadOnlyList<(ValidationSpec Spec, CompiledTemplate Template)> _rules;
    private readonly IReadOnlyList<(ValidationSpec Spec, CompiledTemplate Template)> _resourceRules;

    public CompiledValidations(IReadOnlyList<ValidationSpec> validations, IExpressionEngine engine)
    {
        _rules = [.. validations.Where(v => v.Rule is not null).Select(v => (v, new CompiledTemplate(v.Rule!, engine)))];
        _resourceRules = [.. validations.Where(v => v.ResourceRule is not null).Select(v => (v, new CompiledTemplate(v.ResourceRule!, engine)))];
    }

    public bool IsEmpty => _rules.Count == 0 && _resourceRules.Count == 0;

    /// <summary>The <c>rule</c>s that <paramref name="inputs"/> (an Instance's resolved inputs) break.</summary>
    public List<ValidationViolation> CheckInputs(IReadOnlyDictionary<string, object?> inputs, IReadOnlyDictionary<string, object?> instance, EvaluationBudget? budget = null)
    {
        var violations = new List<ValidationViolation>();
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal) { ["inputs"] = inputs, ["instance"] = instance };
        foreach (var (spec, template) in _rules)
        {
            if (Violated(template, variables, budget) is { } why)
            {
                violations.Add(new ValidationViolation(spec, null, why.Length == 0 ? spec.Message : $"{spec.Message} ({why})"));
            }
        }

        return violations;
    }

    /// <summary>
    /// The <c>resourceRule</c>s each of <paramref name="rendered"/> breaks, in resource order, with <paramref name="variables"/>
    /// (<c>target</c>, <c>capability</c> and an Instance's values) and each resource as <c>self</c> and <c>resource</c>.
    /// A resource still awaiting observed state has no body yet: it is checked once it is rendered.
    /// </summary>
    public List<ValidationViolation> CheckResources(IReadOnlyList<RenderedResource> rendered, IReadOnlyDictionary<string, object?> variables, EvaluationBudget? budget = null)
    {
        var violations = new List<ValidationViolation>();
        if (_resourceRules.Count == 0)
        {
            return violations;
        }

        foreach (var resource in rendered)
        {
            if (Body(resource) is not { } body)
            {
                continue;
            }

            var resourceVariables = new Dictionary<string, object?>(variables, StringComparer.Ordinal)
            {
                ["self"] = body.Self,
                ["resource"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["id"] = resource.Id, ["kind"] = body.Kind },
            };
            foreach (var (spec, template) in _resourceRules)
            {
                if (Violated(template, resourceVariables, budget) is { } why)
                {
                    violations.Add(new ValidationViolation(spec, resource.Id, why.Length == 0 ? spec.Message : $"{spec.Message} ({why})"));
                }
            }
        }

        return violations;
    }

    /// <summary>
    /// <c>self</c> and <c>resource.kind</c> of a rendered resource as SPEC §7 defines them; null while it awaits observed state.
    /// </summary>
    internal static (object? Self, string Kind)? Body(RenderedResource resource)
    {
        if (resource.Manifest is { } manifest)
        {
            return (ValueJson.Deserialize(manifest.Json), "manifest");
        }

        if (resource.File is { } file)
        {
            return (new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["path"] = file.Path,
                ["mode"] = file.Mode,
                ["content"] = file.Content,
            }, "file");
        }

        if (resource.Exec is { } exec)
        {
            return (new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["command"] = exec.Command.Cast<object?>().ToList(),
                ["stdin"] = exec.Stdin,
                ["env"] = exec.Env.ToDictionary(kv => kv.Key, kv => (object?)kv.Value, StringComparer.Ordinal),
                ["timeoutSeconds"] = (long)exec.TimeoutSeconds,
                ["check"] = exec.Check?.Cast<object?>().ToList(),
                ["delete"] = exec.Delete?.Cast<object?>().ToList(),
            }, "exec");
        }

        return null;
    }

    /// <summary>Null when the rule holds; else "" when it gave false, or why it could not be evaluated.</summary>
    private static string? Violated(CompiledTemplate template, IReadOnlyDictionary<string, object?> variables, EvaluationBudget? budget)
    {
        object? value;
        try
        {
            value = template.Render(variables, budget);
        }
        catch (ExpressionException e) when (budget is not { IsExhausted: true })
        {
            return $"could not be evaluated: {e.Message}";
        }

        return value switch
        {
            true => null,
            false => "",
            _ => $"{template.Text} gave {ExpressionValues.TypeName(value)}, not a bool",
        };
    }
}
