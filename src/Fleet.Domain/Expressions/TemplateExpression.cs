namespace Fleet.Domain.Expressions;

/// <summary>One <c>${...}</c> of a template: <see cref="Offset"/> is where its <c>$</c> stands in the template string.</summary>
public sealed record TemplateExpression(int Offset, string Text, ICompiledExpression Compiled);
