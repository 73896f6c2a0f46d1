namespace Fleet.Domain.Expressions;

/// <summary>A problem in a template; <see cref="Offset"/> is 0-based into the whole template string.</summary>
public sealed record TemplateError(int Offset, string Message);
