using Fleet.Domain.Expressions;
using Fleet.Domain.Model;

namespace Fleet.Domain.Rendering;

/// <summary>A resource with its templates compiled; only files exist so far.</summary>
internal sealed class CompiledResource
{
    public CompiledResource(ResourceSpec spec, IExpressionEngine engine)
    {
        Id = spec.Id;
        if (spec.File is { } file)
        {
            Kind = "file";
            Driver = DriverNames.Files;
            Path = new CompiledTemplate(file.Path, engine);
            Content = new CompiledTemplate(file.Content, engine);
            Mode = file.Mode;
        }
        else
        {
            Kind = "";
            Driver = "";
        }
    }

    public string Id { get; }

    /// <summary>The resource kind as hashed (<c>file</c>); empty for a resource of no known kind, which no driver applies.</summary>
    public string Kind { get; }

    public string Driver { get; }

    public CompiledTemplate? Path { get; }

    public CompiledTemplate? Content { get; }

    public string? Mode { get; }
}
