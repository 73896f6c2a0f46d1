using System.Globalization;

namespace Fleet.Domain.Expressions;

/// <summary><c>operand[index]</c>: a string key of a map or an int position in a list.</summary>
internal sealed class IndexNode(int offset, ExpressionNode operand, ExpressionNode index) : ExpressionNode(offset)
{
    public override object? Evaluate(IReadOnlyDictionary<string, object?> variables)
    {
        var container = operand.Evaluate(variables);
        var key = index.Evaluate(variables);
        if (ExpressionValues.IsMap(container))
        {
            if (key is string text)
            {
                return ExpressionValues.TryGetKey(container, text, out var value)
                    ? value
                    : throw new ExpressionException($"no such key: {text}", Offset);
            }

            throw new ExpressionException($"no such key: {Describe(key)}", Offset);
        }

        if (ExpressionValues.IsList(container))
        {
            if (!ExpressionValues.IsInteger(key))
            {
                throw new ExpressionException($"no such overload: a list index must be int, got {ExpressionValues.TypeName(key)}", Offset);
            }

            var count = ExpressionValues.Count(container);
            var position = Convert.ToDecimal(key, CultureInfo.InvariantCulture);
            if (position < 0 || position >= count)
            {
                throw new ExpressionException($"index {position} out of range [0, {count})", Offset);
            }

            return ExpressionValues.ElementAt(container, (int)position);
        }

        throw new ExpressionException($"no such overload: a value of type {ExpressionValues.TypeName(container)} cannot be indexed", Offset);
    }

    private static string Describe(object? key) => key switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        _ => Convert.ToString(key, CultureInfo.InvariantCulture) ?? "",
    };
}
