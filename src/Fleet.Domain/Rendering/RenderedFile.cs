namespace Fleet.Domain.Rendering;

/// <summary>A file resource after templating: <c>Mode</c> is normalised to four octal digits.</summary>
public sealed record RenderedFile(string Path, string Content, string Mode);
