using System.Collections.Frozen;

namespace Fleet.Domain.Expressions.Cel;

/// <summary>
/// What an expression may refer to and how strictly it is checked: the declared variables with their
/// types, whether undeclared variables are allowed, whether the checker runs at all, and the limits.
/// Immutable; the <c>With...</c> methods return a changed copy, so one environment can be shared by all
/// compilations of a kind (every template of a capability, say) and specialised per use.
/// </summary>
public sealed class CelEnvironment
{
    private readonly FrozenDictionary<string, CelType> _variables;

    private CelEnvironment(FrozenDictionary<string, CelType> variables, bool allowUndeclared, bool isChecked, CelLimits limits)
    {
        _variables = variables;
        AllowUndeclaredVariables = allowUndeclared;
        IsChecked = isChecked;
        Limits = limits;
    }

    /// <summary>No variables, checked, default limits: only literals and functions compile.</summary>
    public static CelEnvironment Empty { get; } = new(FrozenDictionary<string, CelType>.Empty, allowUndeclared: false, isChecked: true, CelLimits.Default);

    /// <summary>The declared variables. A name may be qualified (<c>a.b</c>): <c>a.b.c</c> then resolves to field <c>c</c> of it.</summary>
    public IReadOnlyDictionary<string, CelType> Variables => _variables;

    /// <summary>
    /// When true, a root identifier that is not declared compiles with type <c>dyn</c> and is looked up at
    /// evaluation (an error if absent); <see cref="ICompiledExpression.RootVariables"/> lists it, so a caller
    /// can report it in its own words. When false it is a compile error.
    /// </summary>
    public bool AllowUndeclaredVariables { get; }

    /// <summary>
    /// When false nothing is rejected before evaluation except syntax: unknown variables and functions and
    /// type mismatches become evaluation errors (what cel-spec calls <c>disable_check</c>), which matters
    /// only where <c>&amp;&amp;</c>, <c>||</c> or a macro would absorb the error.
    /// </summary>
    public bool IsChecked { get; }

    public CelLimits Limits { get; }

    public CelEnvironment WithVariable(string name, CelType type)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(type);
        var variables = new Dictionary<string, CelType>(Variables, StringComparer.Ordinal) { [name] = type };
        return new(variables.ToFrozenDictionary(StringComparer.Ordinal), AllowUndeclaredVariables, IsChecked, Limits);
    }

    public CelEnvironment WithVariables(IEnumerable<KeyValuePair<string, CelType>> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var merged = new Dictionary<string, CelType>(Variables, StringComparer.Ordinal);
        foreach (var (name, type) in variables)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            merged[name] = type ?? throw new ArgumentException($"variable '{name}' has no type", nameof(variables));
        }

        return new(merged.ToFrozenDictionary(StringComparer.Ordinal), AllowUndeclaredVariables, IsChecked, Limits);
    }

    public CelEnvironment WithUndeclaredVariables(bool allow) => new(_variables, allow, IsChecked, Limits);

    public CelEnvironment WithChecking(bool isChecked) => new(_variables, AllowUndeclaredVariables, isChecked, Limits);

    public CelEnvironment WithLimits(CelLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return new(_variables, AllowUndeclaredVariables, IsChecked, limits);
    }
}
