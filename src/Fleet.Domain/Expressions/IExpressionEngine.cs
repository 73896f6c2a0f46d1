namespace Fleet.Domain.Expressions;

/// <summary>
/// The seam between templates and the expression language. Compile once per revision, evaluate
/// many times. The foundation ships a member-access engine; the CEL engine replaces it behind this.
/// </summary>
public interface IExpressionEngine
{
    /// <summary>Parses and checks <paramref name="expression"/> (the text inside <c>${...}</c>) without evaluating it.</summary>
    CompileResult Compile(string expression);
}
