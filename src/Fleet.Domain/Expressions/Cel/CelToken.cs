namespace Fleet.Domain.Expressions.Cel;

/// <summary>
/// One lexeme at <see cref="Offset"/>. <see cref="Value"/> holds the decoded literal: the string, the
/// <see cref="CelBytes"/>, the double, or for integers the magnitude as <c>ulong</c> (the sign belongs to the parser).
/// </summary>
internal readonly record struct CelToken(CelTokenKind Kind, int Offset, string Text, object? Value = null);
