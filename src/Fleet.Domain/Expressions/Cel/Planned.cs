namespace Fleet.Domain.Expressions.Cel;

/// <summary>A compiled sub-expression: the step that evaluates it and its static type.</summary>
internal readonly record struct Planned(Step Step, CelType Type);
