namespace Fleet.Domain.Model;

/// <summary>
/// One entry of a capability's <c>spec.validations</c> (SPEC §7): exactly one of <see cref="Rule"/> (one <c>${...}</c> over
/// <c>inputs</c>, checked per Instance) and <see cref="ResourceRule"/> (one <c>${...}</c> over every rendered resource as
/// <c>self</c>, with <c>resource</c> and <c>target</c>), and the <see cref="Message"/> a violation is reported with.
/// </summary>
public sealed record ValidationSpec
{
    public string? Rule { get; init; }

    public string? ResourceRule { get; init; }

    public required string Message { get; init; }

    /// <summary>
    /// Where the rule was written, when it was read from a document in this process (empty for a stored revision): a refused
    /// apply points there. Not part of the canonical JSON, so moving a rule in its file is not a new revision.
    /// </summary>
    public string Source { get; init; } = "";

    public int Line { get; init; }

    public int Column { get; init; }

    /// <summary>The rule's text, whichever kind it is.</summary>
    public string Text => Rule ?? ResourceRule ?? "";
}
