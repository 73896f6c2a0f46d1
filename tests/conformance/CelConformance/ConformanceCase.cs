namespace CelConformance;

/// <summary>One in-scope test: the batch line to send, and what must come back.</summary>
internal sealed record ConformanceCase(
    string File,
    string Section,
    string Name,
    string Expr,
    string VarsJson,
    bool Check,
    bool ExpectError,
    string? ExpectedJson,
    string? ExpectedType);
