namespace Fleet.Domain.Rendering;

/// <summary>An exec resource after templating; <see cref="TimeoutSeconds"/> always holds the effective timeout.</summary>
public sealed record RenderedExec(
    IReadOnlyList<string> Command,
    string? Stdin,
    IReadOnlyDictionary<string, string> Env,
    int TimeoutSeconds,
    IReadOnlyList<string>? Check,
    IReadOnlyList<string>? Delete)
{
    /// <summary>Used when the resource gives no <c>timeoutSeconds</c>: long enough for a deploy script, short enough to notice a hang.</summary>
    public const int DefaultTimeoutSeconds = 300;
}
