namespace Fleet.Domain.Yaml;

/// <summary>The text of one document of a YAML stream and the 1-based line it starts on.</summary>
internal sealed record DocumentChunk(int Line, string Text);
