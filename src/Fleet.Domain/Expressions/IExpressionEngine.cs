namespace Fleet.Domain.Expressions;

/// <summary>
/// The seam between templates and the expression language. Compile once per revision, evaluate
/// many times. <see cref="Cel.CelEngine"/> implements it with the CEL language of SPEC §3.
/// </summary>
public interface IExpressionEngine
{
    /// <summary>Parses and checks <paramref name="expression"/> (the text inside <c>${...}</c>) without evaluating it.</summary>
    CompileResult Compile(string expression);
}
