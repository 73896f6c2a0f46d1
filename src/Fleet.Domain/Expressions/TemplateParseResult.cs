namespace Fleet.Domain.Expressions;

/// <summary>Either a template (no errors) or every error found in it.</summary>
public sealed record TemplateParseResult(Template? Template, IReadOnlyList<TemplateError> Errors)
{
    public bool Succeeded => Template is not null;
}
