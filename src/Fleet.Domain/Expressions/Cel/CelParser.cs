namespace Fleet.Domain.Expressions.Cel;

/// <summary>
/// Recursive descent over CEL's grammar with its precedence (<c>?:</c>, <c>||</c>, <c>&amp;&amp;</c>,
/// relations and <c>in</c>, <c>+ -</c>, <c>* / %</c>, unary <c>! -</c>, member access), expanding the
/// macros (<c>has</c>, <c>all</c>, <c>exists</c>, <c>exists_one</c>, <c>map</c>, <c>filter</c>) as it
/// goes. Nesting is bounded by <see cref="CelLimits.MaxDepth"/> twice over: the recursion of the parser
/// itself, and the height of every node it builds (a long chain of <c>+</c> is deep without recursion).
/// </summary>
internal sealed class CelParser
{
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop",
        "package", "namespace", "return", "var", "void", "while",
    };

    private readonly List<CelToken> _tokens;
    private readonly int _maxDepth;
    private int _position;
    private int _nesting;

    private CelParser(List<CelToken> tokens, int maxDepth)
    {
        _tokens = tokens;
        _maxDepth = maxDepth;
    }

    private CelToken Current => _tokens[_position];

    /// <exception cref="CelCompileException">The text is not a CEL expression, or is nested too deeply.</exception>
    public static Expr Parse(string text, CelLimits limits)
    {
        var parser = new CelParser(CelLexer.Tokenize(text), limits.MaxDepth);
        var expr = parser.ParseExpr();
        if (parser.Current.Kind != CelTokenKind.End)
        {
            throw parser.Unexpected(parser.Current, "an operator or the end of the expression");
        }

        return expr;
    }

    private Expr ParseExpr()
    {
        if (++_nesting > _maxDepth)
        {
            throw new CelCompileException($"expression is nested more than {_maxDepth} levels deep", Current.Offset);
        }

        var condition = ParseOr();
        if (Current.Kind == CelTokenKind.Question)
        {
            var question = Advance();
            var whenTrue = ParseOr();
            Expect(CelTokenKind.Colon, "':'");
            var whenFalse = ParseExpr();
            condition = Node(new CallExpr(question.Offset, CelOperators.Conditional, null, [condition, whenTrue, whenFalse]));
        }

        _nesting--;
        return condition;
    }

    private Expr ParseOr()
    {
        var left = ParseAnd();
        while (Current.Kind == CelTokenKind.OrOr)
        {
            var op = Advance();
            left = Node(new CallExpr(op.Offset, CelOperators.LogicalOr, null, [left, ParseAnd()]));
        }

        return left;
    }

    private Expr ParseAnd()
    {
        var left = ParseRelation();
        while (Current.Kind == CelTokenKind.AndAnd)
        {
            var op = Advance();
            left = Node(new CallExpr(op.Offset, CelOperators.LogicalAnd, null, [left, ParseRelation()]));
        }

        return left;
    }

    private Expr ParseRelation()
    {
        var left = ParseAddition();
        while (true)
        {
            var function = Current.Kind switch
            {
                CelTokenKind.Less => CelOperators.Less,
                CelTokenKind.LessEqual => CelOperators.LessEqual,
                CelTokenKind.Greater => CelOperators.Greater,
                CelTokenKind.GreaterEqual => CelOperators.GreaterEqual,
                CelTokenKind.EqualEqual => CelOperators.Equal,
                CelTokenKind.NotEqual => CelOperators.NotEqual,
                CelTokenKind.In => CelOperators.In,
                _ => null,
            };
            if (function is null)
            {
                return left;
            }

            var op = Advance();
            left = Node(new CallExpr(op.Offset, function, null, [left, ParseAddition()]));
        }
    }

    private Expr ParseAddition()
    {
        var left = ParseMultiplication();
        while (Current.Kind is CelTokenKind.Plus or CelTokenKind.Minus)
        {
            var op = Advance();
            var function = op.Kind == CelTokenKind.Plus ? CelOperators.Add : CelOperators.Subtract;
            left = Node(new CallExpr(op.Offset, function, null, [left, ParseMultiplication()]));
        }

        return left;
    }

    private Expr ParseMultiplication()
    {
        var left = ParseUnary();
        while (Current.Kind is CelTokenKind.Star or CelTokenKind.Slash or CelTokenKind.Percent)
        {
            var op = Advance();
            var function = op.Kind switch
            {
                CelTokenKind.Star => CelOperators.Multiply,
                CelTokenKind.Slash => CelOperators.Divide,
                _ => CelOperators.Modulo,
            };
            left = Node(new CallExpr(op.Offset, function, null, [left, ParseUnary()]));
        }

        return left;
    }

    private Expr ParseUnary()
    {
        if (Current.Kind is not (CelTokenKind.Bang or CelTokenKind.Minus))
        {
            return ParseMember();
        }

        var kind = Current.Kind;
        var operators = new List<CelToken>();
        while (Current.Kind == kind)
        {
            operators.Add(Advance());
        }

        Expr operand;
        if (kind == CelTokenKind.Minus && Current.Kind is CelTokenKind.Int or CelTokenKind.Double)
        {
            // As in CEL's grammar the sign nearest a number belongs to the literal, which is what lets
            // -9223372036854775808 be written although its magnitude is not an int.
            var sign = operators[^1];
            operators.RemoveAt(operators.Count - 1);
            operand = ParseMemberSuffix(Literal(Advance(), sign.Offset));
        }
        else
        {
            operand = ParseMember();
        }

        var function = kind == CelTokenKind.Bang ? CelOperators.Not : CelOperators.Negate;
        for (var i = operators.Count - 1; i >= 0; i--)
        {
            operand = Node(new CallExpr(operators[i].Offset, function, null, [operand]));
        }

        return operand;
    }

    private Expr ParseMember() => ParseMemberSuffix(ParsePrimary());

    private Expr ParseMemberSuffix(Expr operand)
    {
        while (true)
        {
            switch (Current.Kind)
            {
                case CelTokenKind.Dot:
                    Advance();
                    var name = Current;
                    if (name.Kind == CelTokenKind.QuotedIdentifier)
                    {
                        Advance();
                        operand = Node(new SelectExpr(name.Offset, operand, (string)name.Value!, isTest: false));
                        continue;
                    }

                    if (name.Kind != CelTokenKind.Identifier)
                    {
                        throw Unexpected(name, "a field or method name after '.'");
                    }

                    Advance();
                    operand = Current.Kind == CelTokenKind.LeftParen
                        ? Node(ReceiverCall(name, operand, ParseArguments()))
                        : Node(new SelectExpr(name.Offset, operand, name.Text, isTest: false));
                    continue;
                case CelTokenKind.LeftBracket:
                    var open = Advance();
                    var index = ParseExpr();
                    Expect(CelTokenKind.RightBracket, "']'");
                    operand = Node(new IndexExpr(open.Offset, operand, index));
                    continue;
                case CelTokenKind.LeftBrace when operand is IdentExpr or SelectExpr:
                    throw new CelCompileException("message construction (Type{field: value}) is not supported: there are no message types here", Current.Offset);
                default:
                    return operand;
            }
        }
    }

    private Expr ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case CelTokenKind.Dot:
                Advance();
                var absolute = Current;
                if (absolute.Kind != CelTokenKind.Identifier)
                {
                    throw Unexpected(absolute, "a name after the leading '.'");
                }

                Advance();
                return Identifier(absolute, token.Offset, isAbsolute: true);
            case CelTokenKind.Identifier:
                Advance();
                return Identifier(token, token.Offset, isAbsolute: false);
            case CelTokenKind.LeftParen:
                Advance();
                var inner = ParseExpr();
                Expect(CelTokenKind.RightParen, "')'");
                return inner;
            case CelTokenKind.LeftBracket:
                Advance();
                return Node(new ListExpr(token.Offset, ParseList()));
            case CelTokenKind.LeftBrace:
                Advance();
                return Node(new MapExpr(token.Offset, ParseMapEntries()));
            case CelTokenKind.Int or CelTokenKind.Uint or CelTokenKind.Double or CelTokenKind.String or CelTokenKind.Bytes
                or CelTokenKind.True or CelTokenKind.False or CelTokenKind.Null:
                Advance();
                return Literal(token, negativeAt: null);
            default:
                throw Unexpected(token, "an operand");
        }
    }

    private Expr Identifier(CelToken name, int offset, bool isAbsolute)
    {
        if (Reserved.Contains(name.Text))
        {
            throw new CelCompileException($"'{name.Text}' is a reserved word and cannot be used as a name", name.Offset);
        }

        if (Current.Kind != CelTokenKind.LeftParen)
        {
            return new IdentExpr(offset, name.Text, isAbsolute);
        }

        var args = ParseArguments();
        if (name.Text == "has" && !isAbsolute)
        {
            if (args.Count != 1 || args[0] is not SelectExpr { IsTest: false } select)
            {
                throw new CelCompileException("has() takes one field selection, like has(m.field)", args.Count == 1 ? args[0].Offset : name.Offset);
            }

            return Node(new SelectExpr(select.Offset, select.Operand, select.Field, isTest: true));
        }

        return Node(new CallExpr(name.Offset, name.Text, null, args));
    }

    private Expr ReceiverCall(CelToken name, Expr target, List<Expr> args)
    {
        MacroKind? macro = (name.Text, args.Count) switch
        {
            ("all", 2) => MacroKind.All,
            ("exists", 2) => MacroKind.Exists,
            ("exists_one", 2) => MacroKind.ExistsOne,
            ("filter", 2) => MacroKind.Filter,
            ("map", 2 or 3) => MacroKind.Map,
            _ => null,
        };
        if (macro is not { } kind)
        {
            return new CallExpr(name.Offset, name.Text, target, args);
        }

        if (args[0] is not IdentExpr { IsAbsolute: false } variable)
        {
            throw new CelCompileException($"the first argument of {name.Text}() must be a simple name, like x in {name.Text}(x, ...)", args[0].Offset);
        }

        return kind switch
        {
            MacroKind.Map when args.Count == 3 => new ComprehensionExpr(name.Offset, kind, target, variable.Name, args[1], args[2]),
            MacroKind.Map => new ComprehensionExpr(name.Offset, kind, target, variable.Name, null, args[1]),
            _ => new ComprehensionExpr(name.Offset, kind, target, variable.Name, args[1], null),
        };
    }

    private List<Expr> ParseArguments()
    {
        Expect(CelTokenKind.LeftParen, "'('");
        var args = new List<Expr>();
        if (Current.Kind != CelTokenKind.RightParen)
        {
            args.Add(ParseExpr());
            while (Current.Kind == CelTokenKind.Comma)
            {
                Advance();
                args.Add(ParseExpr());
            }
        }

        Expect(CelTokenKind.RightParen, "')' or ','");
        return args;
    }

    private List<Expr> ParseList()
    {
        var elements = new List<Expr>();
        while (Current.Kind != CelTokenKind.RightBracket)
        {
            elements.Add(ParseExpr());
            if (Current.Kind != CelTokenKind.Comma)
            {
                break;
            }

            Advance();
        }

        Expect(CelTokenKind.RightBracket, "']' or ','");
        return elements;
    }

    private List<MapEntry> ParseMapEntries()
    {
        var entries = new List<MapEntry>();
        while (Current.Kind != CelTokenKind.RightBrace)
        {
            var key = ParseExpr();
            Expect(CelTokenKind.Colon, "':' after a map key");
            entries.Add(new MapEntry(key.Offset, key, ParseExpr()));
            if (Current.Kind != CelTokenKind.Comma)
            {
                break;
            }

            Advance();
        }

        Expect(CelTokenKind.RightBrace, "'}' or ','");
        return entries;
    }

    /// <summary>A literal; <paramref name="negativeAt"/> is the offset of a minus sign that belongs to it.</summary>
    private static ConstantExpr Literal(CelToken token, int? negativeAt)
    {
        var offset = negativeAt ?? token.Offset;
        object? value = token.Kind switch
        {
            CelTokenKind.Int => IntValue((ulong)token.Value!, negativeAt is not null, token),
            CelTokenKind.Double => negativeAt is null ? token.Value : -(double)token.Value!,
            CelTokenKind.Uint or CelTokenKind.String or CelTokenKind.Bytes => token.Value,
            CelTokenKind.True => true,
            CelTokenKind.False => false,
            _ => null,
        };
        return new ConstantExpr(offset, value);
    }

    private static long IntValue(ulong magnitude, bool negative, CelToken token)
    {
        if (negative && magnitude == 1UL << 63)
        {
            return long.MinValue;
        }

        if (magnitude > long.MaxValue)
        {
            throw new CelCompileException($"integer literal {(negative ? "-" : "")}{token.Text} is out of range for int (use a u suffix for uint)", token.Offset);
        }

        return negative ? -(long)magnitude : (long)magnitude;
    }

    private Expr Node(Expr expr) => expr.Depth > _maxDepth
        ? throw new CelCompileException($"expression is nested more than {_maxDepth} levels deep", expr.Offset)
        : expr;

    private CelToken Advance() => _tokens[_position++];

    private void Expect(CelTokenKind kind, string what)
    {
        if (Current.Kind != kind)
        {
            throw Unexpected(Current, what);
        }

        Advance();
    }

    private CelCompileException Unexpected(CelToken token, string expected) => token.Kind == CelTokenKind.End
        ? new CelCompileException($"unexpected end of expression (expected {expected})", token.Offset)
        : new CelCompileException($"unexpected '{token.Text}' (expected {expected})", token.Offset);
}
