using Fleet.Domain.Expressions;
using Fleet.Domain.Serialization;

namespace Fleet.Domain.Rendering;

/// <summary>Rendering of the <c>manifest</c> and <c>exec</c> resource kinds.</summary>
public sealed partial class CompiledCapability
{
    private static RenderedResource? RenderResource(
        CompiledResource resource, IReadOnlyDictionary<string, object?> variables, IReadOnlyList<string> readyWhen, EvaluationBudget budget, out string? error) =>
        resource.Kind switch
        {
            "manifest" => RenderManifest(resource, variables, readyWhen, budget, out error),
            "exec" => RenderExec(resource, variables, budget, out error),
            _ => RenderFile(resource, variables, budget, out error),
        };

    /// <param name="readyWhen">The resource's conditions as the agent evaluates them: for an Instance, with its inputs written in.</param>
    private static RenderedResource? RenderManifest(
        CompiledResource resource, IReadOnlyDictionary<string, object?> variables, IReadOnlyList<string> readyWhen, EvaluationBudget budget, out string? error)
    {
        error = null;
        object? value;
        try
        {
            value = resource.Manifest!.Render(variables, "manifest", budget);
        }
        catch (ExpressionException e)
        {
            error = $"resource '{resource.Id}' {e.Message}";
            return null;
        }

        if (value is not IReadOnlyDictionary<string, object?> manifest)
        {
            error = $"resource '{resource.Id}' manifest: must render to an object";
            return null;
        }

        var apiVersion = manifest.GetValueOrDefault("apiVersion") as string;
        var kind = manifest.GetValueOrDefault("kind") as string;
        var metadata = manifest.GetValueOrDefault("metadata") as IReadOnlyDictionary<string, object?>;
        var name = metadata?.GetValueOrDefault("name") as string;
        var ns = metadata?.GetValueOrDefault("namespace");
        if (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kind) || string.IsNullOrEmpty(name))
        {
            error = $"resource '{resource.Id}' manifest: apiVersion, kind and metadata.name must render to non-empty strings";
            return null;
        }

        if (ns is not null and not string)
        {
            error = $"resource '{resource.Id}' manifest.metadata.namespace: must render to a string";
            return null;
        }

        var json = ValueJson.Serialize(manifest);
        if (System.Text.Encoding.UTF8.GetByteCount(json) > MaxContentBytes)
        {
            error = $"resource '{resource.Id}' manifest: rendered object is larger than {MaxContentBytes} bytes";
            return null;
        }

        var w = new CanonicalJsonWriter().StartArray().String(resource.Id).String(resource.Kind).String(json).StartArray();
        foreach (var condition in readyWhen)
        {
            w.String(condition);
        }

        var hash = ContentHash.Of(w.EndArray().EndArray().ToString());
        var rendered = new RenderedManifest(apiVersion, kind, name, string.IsNullOrEmpty(ns as string) ? null : (string)ns!, json, readyWhen);
        return new RenderedResource(resource.Id, hash, null) { Manifest = rendered };
    }

    private static RenderedResource? RenderExec(CompiledResource resource, IReadOnlyDictionary<string, object?> variables, EvaluationBudget budget, out string? error)
    {
        error = null;
        string field = "exec.command";
        try
        {
            var command = RenderArgv(resource.Command!);
            field = "exec.stdin";
            var stdin = resource.Stdin?.RenderString(variables, budget);
            var env = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, template) in resource.Env!)
            {
                field = $"exec.env.{key}";
                env[key] = template.RenderString(variables, budget);
            }

            field = "exec.check";
            var check = resource.Check is null ? null : RenderArgv(resource.Check);
            field = "exec.delete";
            var delete = resource.Delete is null ? null : RenderArgv(resource.Delete);
            if (command[0].Length == 0)
            {
                error = $"resource '{resource.Id}' exec.command: the program renders to an empty string";
                return null;
            }

            var exec = new RenderedExec(command, stdin, env, resource.TimeoutSeconds ?? RenderedExec.DefaultTimeoutSeconds, check, delete);
            var w = new CanonicalJsonWriter().StartArray().String(resource.Id).String(resource.Kind);
            Strings(w, exec.Command);
            if (stdin is null)
            {
                w.Null();
            }
            else
            {
                w.String(stdin);
            }

            w.Value(env).Number(exec.TimeoutSeconds);
            Strings(w, check);
            Strings(w, delete);
            return new RenderedResource(resource.Id, ContentHash.Of(w.EndArray().ToString()), null) { Exec = exec };
        }
        catch (ExpressionException e)
        {
            error = $"resource '{resource.Id}' {field}: {e.Message}";
            return null;
        }

        List<string> RenderArgv(IReadOnlyList<CompiledTemplate> argv) => [.. argv.Select(a => a.RenderString(variables, budget))];
    }

    private static void Strings(CanonicalJsonWriter w, IReadOnlyList<string>? items)
    {
        if (items is null)
        {
            w.Null();
            return;
        }

        w.StartArray();
        foreach (var item in items)
        {
            w.String(item);
        }

        w.EndArray();
    }
}
