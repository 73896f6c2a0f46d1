namespace Fleet.Domain.Expressions.Cel;

/// <summary>
/// Bounds on what one expression may cost, so a hostile or careless expression cannot hang or exhaust
/// the hub: every limit reached is an ordinary error of that expression, never a crash.
/// </summary>
public sealed record CelLimits
{
    public static CelLimits Default { get; } = new();

    /// <summary>Longest expression text, in characters. Default 8192.</summary>
    public int MaxExpressionLength { get; init; } = 8192;

    /// <summary>
    /// Deepest nesting of the syntax tree (parentheses, calls, operands of operators, literals). It keeps
    /// parsing and evaluation far from the stack limit. Default 64: CEL asks for at least 32 terms in a row.
    /// </summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>
    /// Work one evaluation may do: one unit per step evaluated, plus the size of strings, bytes, lists and
    /// maps it builds or scans. Default 1,000,000 (tens of milliseconds at worst).
    /// </summary>
    public long MaxCost { get; init; } = 1_000_000;

    /// <summary>Longest string (in UTF-16 units) or bytes value an evaluation may build. Default 1 MiB.</summary>
    public int MaxStringLength { get; init; } = 1024 * 1024;

    /// <summary>Most elements of a list, or entries of a map, an evaluation may build. Default 100,000.</summary>
    public int MaxListLength { get; init; } = 100_000;

    /// <summary>Longest regular expression <c>matches</c> accepts. Default 1024 characters.</summary>
    public int MaxRegexLength { get; init; } = 1024;

    /// <summary>
    /// How long one <c>matches</c> may run. Default 1 s. The engine is linear-time, so this is a backstop, not the
    /// defence: it is wall time, and on a busy machine the first match (which builds the matcher's states) can take
    /// well over 100 ms for an ordinary pattern.
    /// </summary>
    public TimeSpan RegexTimeout { get; init; } = TimeSpan.FromSeconds(1);
}
