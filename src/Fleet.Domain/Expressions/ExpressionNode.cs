namespace Fleet.Domain.Expressions;

/// <summary>A node of a parsed member-access expression; <see cref="Offset"/> points errors at its text.</summary>
internal abstract class ExpressionNode(int offset)
{
    public int Offset { get; } = offset;

    public abstract object? Evaluate(IReadOnlyDictionary<string, object?> variables);

    protected static bool RequireBool(object? value, string op, int offset) =>
        value as bool? ?? throw new ExpressionException($"no such overload: '{op}' needs bool operands, got {ExpressionValues.TypeName(value)}", offset);
}
