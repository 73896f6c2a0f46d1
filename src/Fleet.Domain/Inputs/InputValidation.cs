namespace Fleet.Domain.Inputs;

/// <summary>
/// What <see cref="InputValidator.Validate"/> found: the inputs with every default applied (a sorted map of plain values)
/// when they fit the schema; otherwise null, and every violation as <c>spec.inputs.replicas: 0 is less than the minimum 1</c>.
/// </summary>
public sealed record InputValidation(IReadOnlyDictionary<string, object?>? Resolved, IReadOnlyList<string> Violations)
{
    public bool IsValid => Resolved is not null && Violations.Count == 0;

    /// <summary>The violations with where each is, for pointing at the value in an Instance document.</summary>
    internal IReadOnlyList<InputViolation> Details { get; init; } = [];
}
