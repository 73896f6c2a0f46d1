namespace Fleet.Domain.Expressions;

internal sealed class VariableNode(int offset, string name) : ExpressionNode(offset)
{
    public string Name { get; } = name;

    public override object? Evaluate(IReadOnlyDictionary<string, object?> variables) =>
        variables.TryGetValue(Name, out var value) ? value : throw new ExpressionException($"unknown variable '{Name}'", Offset);
}
