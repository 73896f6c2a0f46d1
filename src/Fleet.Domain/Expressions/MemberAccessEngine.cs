namespace Fleet.Domain.Expressions;

/// <summary>
/// The foundation's expression language: identifiers, <c>.member</c>, <c>[key]</c>, string/int/bool/null
/// literals, parentheses, <c>== != &amp;&amp; || !</c> with CEL precedence and semantics. It is a strict
/// subset of CEL, so documents written for it keep their meaning when the CEL engine replaces it.
/// </summary>
public sealed class MemberAccessEngine : IExpressionEngine
{
    /// <summary>Longest expression text accepted; bounds the work one document can cause.</summary>
    public const int MaxLength = 4096;

    /// <summary>Deepest nesting of parentheses, indexing and <c>!</c>; keeps parsing and evaluation off the stack limit.</summary>
    public const int MaxDepth = 32;

    public CompileResult Compile(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        if (expression.Length > MaxLength)
        {
            return CompileResult.Fail($"expression is longer than {MaxLength} characters", MaxLength);
        }

        var tokens = new List<Token>();
        if (!ExpressionLexer.TryTokenize(expression, tokens, out var error, out var offset))
        {
            return CompileResult.Fail(error!, offset);
        }

        try
        {
            var root = MemberAccessParser.Parse(tokens, out var roots);
            return CompileResult.Ok(new CompiledMemberAccessExpression(root, roots));
        }
        catch (ExpressionSyntaxException e)
        {
            return CompileResult.Fail(e.Message, e.Offset);
        }
    }
}
