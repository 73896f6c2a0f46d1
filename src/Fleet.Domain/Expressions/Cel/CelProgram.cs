namespace Fleet.Domain.Expressions.Cel;

/// <summary>
/// A compiled CEL expression: immutable, so one instance is evaluated concurrently by any number of
/// threads; each evaluation gets its own frame and cost budget.
/// </summary>
public sealed class CelProgram : ICompiledExpression
{
    private readonly Step _root;
    private readonly IReadOnlyDictionary<string, IReadOnlySet<string>> _fields;
    private readonly IReadOnlySet<string> _wholeReads;
    private readonly int _slots;
    private readonly CelLimits _limits;

    internal CelProgram(string text, Step root, CelType resultType, IReadOnlySet<string> roots, IReadOnlyDictionary<string, IReadOnlySet<string>> fields, IReadOnlySet<string> wholeReads, int slots, CelLimits limits)
    {
        Text = text;
        _root = root;
        ResultType = resultType;
        RootVariables = roots;
        _fields = fields;
        _wholeReads = wholeReads;
        _slots = slots;
        _limits = limits;
    }

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    /// <summary>The static type of the result (<c>dyn</c> when it depends on the values), e.g. to insist that a condition is a bool.</summary>
    public CelType ResultType { get; }

    public IReadOnlySet<string> RootVariables { get; }

    /// <summary>
    /// The fields read directly off variable <paramref name="variable"/> by name (<c>v.f</c>, <c>v['f']</c>,
    /// <c>has(v.f)</c>), e.g. which <c>resources.&lt;id&gt;</c> an expression depends on. Complete only when
    /// <see cref="ReadsWhole"/> is false for that variable.
    /// </summary>
    public IReadOnlySet<string> FieldsOf(string variable) =>
        _fields.TryGetValue(variable, out var fields) ? fields : new HashSet<string>();

    /// <summary>Whether <paramref name="variable"/> is used other than through fields named in the text (<c>v[x]</c>, <c>size(v)</c>, <c>v</c> alone).</summary>
    public bool ReadsWhole(string variable) => _wholeReads.Contains(variable);

    /// <exception cref="ExpressionException">The expression failed (an error value, or a limit of <see cref="CelLimits"/>); the offset is into <see cref="Text"/>.</exception>
    /// <exception cref="OperationCanceledException">The cancellation of <paramref name="budget"/> fired.</exception>
    public object? Evaluate(IReadOnlyDictionary<string, object?> variables, EvaluationBudget? budget = null)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var frame = new CelFrame(variables, _limits, _slots, budget);
        object? result;
        try
        {
            result = _root.Evaluate(frame);
        }
        catch (CelLimitException e)
        {
            throw new ExpressionException(e.Message, Math.Max(0, e.Offset));
        }
        catch (InsufficientExecutionStackException)
        {
            // Only values nested absurdly deep by the caller get here; the expression itself is depth-bounded.
            throw new ExpressionException("a value is nested too deeply to evaluate", 0);
        }
        finally
        {
            budget?.Spend(frame.Cost);
        }

        return result is CelError error ? throw new ExpressionException(error.Message, Math.Max(0, error.Offset)) : result;
    }

    public override string ToString() => Text;
}
