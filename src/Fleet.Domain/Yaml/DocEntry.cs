namespace Fleet.Domain.Yaml;

/// <summary>One <c>key: value</c> of a mapping.</summary>
internal sealed record DocEntry(DocNode Key, DocNode Value);
