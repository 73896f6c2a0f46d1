namespace Fleet.Domain.Rendering;

/// <summary>
/// A capability revision rendered for one target. When <see cref="Error"/> is set the target cannot
/// run this revision (a template failed, or its driver applies none of the resources); the agent reports
/// it as Failed and applies nothing.
/// </summary>
public sealed record RenderedCapability(
    string Key,
    string Capability,
    long Revision,
    string Hash,
    IReadOnlyList<RenderedResource> Resources,
    string? Error)
{
    /// <summary>
    /// The resource whose rendering ran out of the render's budget (<see cref="RenderLimits"/>), when that is why
    /// <see cref="Error"/> is set: <c>fleet apply</c> refuses such a capability and names the resource.
    /// </summary>
    public string? OverBudgetResource { get; init; }

    /// <summary>The validation rules the render broke, when that is why <see cref="Error"/> is set: every one, not only the first.</summary>
    public IReadOnlyList<Validation.ValidationViolation> Violations { get; init; } = [];
}
