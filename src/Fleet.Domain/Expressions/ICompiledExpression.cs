namespace Fleet.Domain.Expressions;

/// <summary>
/// A checked expression, safe to evaluate from many threads at once. Values are plain CLR objects:
/// <c>string</c>, <c>long</c> (int), <c>ulong</c> (uint), <c>double</c>, <c>bool</c>, <c>null</c>,
/// <see cref="Cel.CelBytes"/>, <see cref="Cel.CelType"/>, <c>IReadOnlyList&lt;object?&gt;</c>,
/// <c>IReadOnlyDictionary&lt;string, object?&gt;</c>, and for maps with int, uint or bool keys
/// <c>IReadOnlyDictionary&lt;object, object?&gt;</c>.
/// </summary>
public interface ICompiledExpression
{
    /// <summary>
    /// The free top-level identifiers the expression reads (<c>target</c> in <c>target.name</c>), so a
    /// document can be rejected for an unknown variable before any target exists.
    /// </summary>
    IReadOnlySet<string> RootVariables { get; }

    /// <summary>
    /// Evaluates against <paramref name="variables"/>; throws <see cref="ExpressionException"/> on an evaluation error, including
    /// when <paramref name="budget"/> (work shared with other evaluations) runs out, and <see cref="OperationCanceledException"/>
    /// when its cancellation fires.
    /// </summary>
    object? Evaluate(IReadOnlyDictionary<string, object?> variables, EvaluationBudget? budget = null);
}
