using Fleet.Domain.Expressions;
using Fleet.Domain.Validation;

namespace Fleet.Domain.Rendering;

/// <summary>
/// A capability's validations (SPEC §7) are part of rendering: a render whose inputs or resources break a rule is Failed
/// with the rules' messages, so a target that joins later, or whose observed state changes what it renders, is refused
/// the same way <c>fleet apply</c> refuses what it can know in advance.
/// </summary>
public sealed partial class CompiledCapability
{
    /// <summary>The <c>rule</c>s (over inputs) this Instance breaks; empty for the capability itself and for inputs that do not fit.</summary>
    public IReadOnlyList<ValidationViolation> InputViolations(EvaluationBudget? budget = null) =>
        Instance is not null && _inputsValue is not null && _instanceValue is not null
            ? _validations.CheckInputs(_inputsValue, _instanceValue, budget)
            : [];

    /// <summary>A Failed render listing every violation of <paramref name="rendered"/>, or null when it breaks no rule.</summary>
    private RenderedCapability? CheckValidations(string key, IReadOnlyList<RenderedResource> rendered, IReadOnlyDictionary<string, object?> variables, EvaluationBudget budget)
    {
        if (_validations.IsEmpty)
        {
            return null;
        }

        List<ValidationViolation> violations;
        try
        {
            violations = [.. InputViolations(budget), .. _validations.CheckResources(rendered, variables, budget)];
        }
        catch (ExpressionException e) when (budget.IsExhausted)
        {
            // The rules share the render's budget: checking what was rendered may not cost more than rendering it may.
            return Failed(key, $"validations: {e.Message}") with { OverBudgetResource = rendered.Count > 0 ? rendered[^1].Id : null };
        }

        return violations.Count == 0
            ? null
            : Failed(key, "validation failed: " + string.Join("; ", violations.Select(v => v.Describe()))) with { Violations = violations };
    }
}
