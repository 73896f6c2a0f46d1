namespace Fleet.Domain.Expressions;

/// <summary>One lexeme; <see cref="Value"/> carries the decoded string or the integer of a literal.</summary>
internal readonly record struct Token(TokenKind Kind, int Offset, string Text, object? Value);
