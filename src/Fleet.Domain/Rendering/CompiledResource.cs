using Fleet.Domain.Expressions;
using Fleet.Domain.Model;

namespace Fleet.Domain.Rendering;

/// <summary>A resource with its templates compiled; which driver applies it follows from its kind.</summary>
internal sealed class CompiledResource
{
    public CompiledResource(ResourceSpec spec, IExpressionEngine engine)
    {
        Id = spec.Id;
        ReadyWhen = spec.ReadyWhen;
        IncludeWhen = [.. spec.IncludeWhen.Select(c => new CompiledTemplate(c, engine))];
        if (spec.File is { } file)
        {
            Kind = "file";
            Driver = DriverNames.Files;
            Path = new CompiledTemplate(file.Path, engine);
            Content = new CompiledTemplate(file.Content, engine);
            Mode = file.Mode;
        }
        else if (spec.Manifest is { } manifest)
        {
            Kind = "manifest";
            Driver = DriverNames.Kubernetes;
            Manifest = new CompiledValue(manifest.Object, engine);
        }
        else if (spec.Exec is { } exec)
        {
            Kind = "exec";
            Driver = DriverNames.Exec;
            Command = [.. exec.Command.Select(a => new CompiledTemplate(a, engine))];
            Stdin = exec.Stdin is null ? null : new CompiledTemplate(exec.Stdin, engine);
            Env = [.. exec.Env.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, new CompiledTemplate(kv.Value, engine)))];
            TimeoutSeconds = exec.TimeoutSeconds;
            Check = exec.Check is null ? null : [.. exec.Check.Select(a => new CompiledTemplate(a, engine))];
            Delete = exec.Delete is null ? null : [.. exec.Delete.Select(a => new CompiledTemplate(a, engine))];
        }
        else
        {
            Kind = "";
            Driver = "";
        }

        var references = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var template in new[] { Path, Content, Stdin }.Concat(Command ?? []).Concat(Check ?? []).Concat(Delete ?? []).Concat(Env?.Select(e => e.Value) ?? []))
        {
            references.UnionWith(template?.ResourceReferences ?? new HashSet<string>());
        }

        Manifest?.CollectReferences(references);
        References = references;
    }

    /// <summary>The other resources of the capability this one reads (<c>resources.&lt;id&gt;</c>): it is applied after them.</summary>
    public IReadOnlySet<string> References { get; }

    public string Id { get; }

    /// <summary>The resource kind as hashed (<c>file</c>, <c>manifest</c>, <c>exec</c>); empty for a resource of no known kind, which no driver applies.</summary>
    public string Kind { get; }

    public string Driver { get; }

    public CompiledTemplate? Path { get; }

    public CompiledTemplate? Content { get; }

    public string? Mode { get; }

    public CompiledValue? Manifest { get; }

    public IReadOnlyList<string> ReadyWhen { get; }

    /// <summary>Conditions over <c>target</c>, <c>capability</c> and an Instance's <c>inputs</c>, all of which must be true for a target to receive the resource.</summary>
    public IReadOnlyList<CompiledTemplate> IncludeWhen { get; }

    public IReadOnlyList<CompiledTemplate>? Command { get; }

    public CompiledTemplate? Stdin { get; }

    public IReadOnlyList<KeyValuePair<string, CompiledTemplate>>? Env { get; }

    public int? TimeoutSeconds { get; }

    public IReadOnlyList<CompiledTemplate>? Check { get; }

    public IReadOnlyList<CompiledTemplate>? Delete { get; }
}
