using Fleet.Domain.Model;

namespace Fleet.Domain.Validation;

/// <summary>
/// One rule that a render broke: the rule (with where it was written, when known), the resource it failed for (null for a
/// <c>rule</c> over inputs) and the rule's message, with why when the rule could not be evaluated at all.
/// </summary>
public sealed record ValidationViolation(ValidationSpec Rule, string? ResourceId, string Message)
{
    /// <summary>One line for a target's Failed state: the message and the resource it is about.</summary>
    public string Describe() => ResourceId is null ? Message : $"{Message} (resource '{ResourceId}')";
}
