namespace Fleet.Domain.Expressions.Cel;

/// <summary>One <c>key: value</c> of a map literal; <see cref="Offset"/> is the key's, where a bad or repeated key is reported.</summary>
internal sealed record MapEntry(int Offset, Expr Key, Expr Value);
