namespace Fleet.Domain.Expressions;

internal enum TokenKind
{
    End,
    Identifier,
    String,
    Integer,
    True,
    False,
    Null,
    Dot,
    LeftBracket,
    RightBracket,
    LeftParen,
    RightParen,
    EqualEqual,
    NotEqual,
    AndAnd,
    OrOr,
    Bang,
}
