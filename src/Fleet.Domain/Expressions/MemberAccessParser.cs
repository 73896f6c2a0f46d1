namespace Fleet.Domain.Expressions;

/// <summary>
/// Recursive descent over CEL's precedence levels, lowest first: <c>||</c>, <c>&amp;&amp;</c>,
/// <c>== !=</c>, unary <c>!</c>, then member access and indexing. Collects the root identifiers as it goes.
/// </summary>
internal sealed class MemberAccessParser
{
    private readonly List<Token> _tokens;
    private readonly HashSet<string> _roots = new(StringComparer.Ordinal);
    private int _position;
    private int _depth;

    private MemberAccessParser(List<Token> tokens) => _tokens = tokens;

    public static ExpressionNode Parse(List<Token> tokens, out IReadOnlySet<string> roots)
    {
        var parser = new MemberAccessParser(tokens);
        var node = parser.ParseOr();
        if (parser.Current.Kind != TokenKind.End)
        {
            throw Unexpected(parser.Current);
        }

        roots = parser._roots;
        return node;
    }

    private Token Current => _tokens[_position];

    private Token Advance() => _tokens[_position++];

    private ExpressionNode ParseOr()
    {
        var left = ParseAnd();
        while (Current.Kind == TokenKind.OrOr)
        {
            var op = Advance();
            left = new LogicalNode(op.Offset, left, ParseAnd(), isAnd: false);
        }

        return left;
    }

    private ExpressionNode ParseAnd()
    {
        var left = ParseEquality();
        while (Current.Kind == TokenKind.AndAnd)
        {
            var op = Advance();
            left = new LogicalNode(op.Offset, left, ParseEquality(), isAnd: true);
        }

        return left;
    }

    private ExpressionNode ParseEquality()
    {
        var left = ParseUnary();
        while (Current.Kind is TokenKind.EqualEqual or TokenKind.NotEqual)
        {
            var op = Advance();
            left = new EqualityNode(op.Offset, left, ParseUnary(), negate: op.Kind == TokenKind.NotEqual);
        }

        return left;
    }

    private ExpressionNode ParseUnary()
    {
        if (Current.Kind != TokenKind.Bang)
        {
            return ParsePostfix();
        }

        var bang = Advance();
        Enter(bang);
        var operand = ParseUnary();
        _depth--;
        return new NotNode(bang.Offset, operand);
    }

    private ExpressionNode ParsePostfix()
    {
        var node = ParsePrimary();
        while (true)
        {
            if (Current.Kind == TokenKind.Dot)
            {
                Advance();
                var member = Current;
                if (member.Kind is not (TokenKind.Identifier or TokenKind.True or TokenKind.False or TokenKind.Null))
                {
                    throw new ExpressionSyntaxException(member.Kind == TokenKind.End ? "expected a field name after '.', found the end" : $"expected a field name after '.', found '{member.Text}'", member.Offset);
                }

                Advance();
                node = new MemberNode(member.Offset, node, member.Text);
            }
            else if (Current.Kind == TokenKind.LeftBracket)
            {
                var open = Advance();
                Enter(open);
                var index = ParseOr();
                Expect(TokenKind.RightBracket, "']'");
                _depth--;
                node = new IndexNode(open.Offset, node, index);
            }
            else
            {
                return node;
            }
        }
    }

    private ExpressionNode ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Identifier:
                Advance();
                _roots.Add(token.Text);
                return new VariableNode(token.Offset, token.Text);
            case TokenKind.String:
            case TokenKind.Integer:
                Advance();
                return new LiteralNode(token.Offset, token.Value);
            case TokenKind.True:
                Advance();
                return new LiteralNode(token.Offset, true);
            case TokenKind.False:
                Advance();
                return new LiteralNode(token.Offset, false);
            case TokenKind.Null:
                Advance();
                return new LiteralNode(token.Offset, null);
            case TokenKind.LeftParen:
                Advance();
                Enter(token);
                var inner = ParseOr();
                Expect(TokenKind.RightParen, "')'");
                _depth--;
                return inner;
            default:
                throw Unexpected(token);
        }
    }

    private void Enter(Token token)
    {
        if (++_depth > MemberAccessEngine.MaxDepth)
        {
            throw new ExpressionSyntaxException($"expression is nested more than {MemberAccessEngine.MaxDepth} levels deep", token.Offset);
        }
    }

    private void Expect(TokenKind kind, string description)
    {
        if (Current.Kind != kind)
        {
            throw Current.Kind == TokenKind.End
                ? new ExpressionSyntaxException($"expected {description}, found the end of the expression", Current.Offset)
                : new ExpressionSyntaxException($"expected {description}, found '{Current.Text}'", Current.Offset);
        }

        Advance();
    }

    private static ExpressionSyntaxException Unexpected(Token token) => token.Kind == TokenKind.End
        ? new ExpressionSyntaxException("unexpected end of expression", token.Offset)
        : new ExpressionSyntaxException($"unexpected '{token.Text}'", token.Offset);
}
