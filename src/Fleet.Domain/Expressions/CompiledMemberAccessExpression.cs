namespace Fleet.Domain.Expressions;

internal sealed class CompiledMemberAccessExpression(ExpressionNode root, IReadOnlySet<string> rootVariables) : ICompiledExpression
{
    public IReadOnlySet<string> RootVariables { get; } = rootVariables;

    public object? Evaluate(IReadOnlyDictionary<string, object?> variables) => root.Evaluate(variables);
}
