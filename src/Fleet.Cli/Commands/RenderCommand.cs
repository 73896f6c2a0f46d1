using System.CommandLine;
using System.Text.Json.Nodes;
using Fleet.Cli.Connection;
using Fleet.Cli.Output;
using Fleet.Protocol.Admin.V1;
using Fleet.Protocol.Agent.V1;

namespace Fleet.Cli.Commands;

/// <summary>
/// <c>fleet render CAPABILITY --target NAME [--instance NAME] [--revision N]</c>: the dry run before changing a fleet. Exit 0 when the
/// revision renders for the target (placed or not: an operator checks a target before labelling it), 1 when it
/// does not (the target would report Failed).
/// </summary>
internal static class RenderCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var capability = new Argument<string>("capability");
        var target = new Option<string>("--target") { Description = "the target to render for (it must have connected to the hub once)", Required = true };
        var revision = new Option<long>("--revision") { Description = "the revision (default: the latest)" };
        var instance = new Option<string?>("--instance") { Description = "for a capability that takes inputs: the instance whose inputs (defaults applied) to render" };
        var command = new Command("render", "print the resources exactly as a target would receive them") { capability, target, revision, instance };
        command.SetAction((result, _) => CliAction.Run(console, async () =>
        {
            var n = result.GetValue(revision);
            if (n < 0)
            {
                throw new UsageException($"--revision must be a positive revision number, not {n}");
            }

            using var hub = global.Connect(result);
            var rendered = await hub.Admin.RenderCapabilityAsync(
                new RenderRequest { Capability = result.GetValue(capability)!, Target = result.GetValue(target)!, Revision = n, Instance = result.GetValue(instance) ?? "" },
                deadline: hub.Deadline);
            var format = global.Format(result);
            if (format == OutputFormat.Table)
            {
                Print(console, rendered);
            }
            else
            {
                DataWriter.Write(RenderShapes.Result(rendered), format, console.Out);
            }

            return string.IsNullOrEmpty(rendered.Desired?.Error)
                ? CliAction.Ok
                : CliAction.Error(console, $"{rendered.Capability} revision {rendered.Revision} does not render for {rendered.Target}: {rendered.Desired.Error}", CliAction.Failed);
        }));
        return command;
    }

    private static void Print(CliConsole console, RenderResult r)
    {
        var o = console.Out;
        o.WriteLine($"capability: {r.Capability}");
        if (r.Instance.Length > 0)
        {
            o.WriteLine($"instance: {r.Instance}");
            o.WriteLine($"inputs: {r.InputsJson}   # after defaults");
        }

        o.WriteLine($"revision: {r.Revision}" + (r.Version.Length > 0 ? $" (version {r.Version})" : ""));
        o.WriteLine($"target: {r.Target} (driver {r.Driver})");
        o.WriteLine(r.Placed ? $"placed: yes ({r.PlacementReason})" : $"placed: no (not placed: {r.PlacementReason}; rendered as it would be if it were)");
        if (r.Desired is null || !string.IsNullOrEmpty(r.Desired.Error))
        {
            return;
        }

        o.WriteLine($"hash: {r.Desired.Hash}");
        o.WriteLine($"resources:   # {r.Desired.Resources.Count}, in the order the agent applies them");
        foreach (var resource in r.Desired.Resources)
        {
            o.WriteLine($"  - id: {resource.Id}");
            o.WriteLine($"    kind: {RenderShapes.KindOf(resource)}");
            o.WriteLine($"    hash: {resource.Hash}");
            List(o, "dependsOn", resource.DependsOn);
            if (resource.Awaiting.Length > 0)
            {
                // Rendered by the hub once the target reports what it reads; the agent holds it until then.
                o.WriteLine($"    awaiting: {Quote(resource.Awaiting)}");
            }

            switch (resource.KindCase)
            {
                case Resource.KindOneofCase.File:
                    o.WriteLine($"    path: {resource.File.Path}");
                    o.WriteLine($"    mode: \"{resource.File.Mode}\"");
                    Block(o, "content", resource.File.Content);
                    break;
                case Resource.KindOneofCase.Manifest:
                    var yaml = new StringWriter();
                    DataWriter.Write(JsonNode.Parse(resource.Manifest.Json)!, OutputFormat.Yaml, yaml);
                    o.WriteLine("    manifest:");
                    Indented(o, yaml.ToString(), "      ");
                    List(o, "readyWhen", resource.Manifest.ReadyWhen);
                    break;
                case Resource.KindOneofCase.Exec:
                    var exec = resource.Exec;
                    List(o, "command", exec.Command);
                    foreach (var (key, value) in exec.Env.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                    {
                        o.WriteLine($"    env.{key}: {Quote(value)}");
                    }

                    if (exec.HasStdin)
                    {
                        Block(o, "stdin", exec.Stdin);
                    }

                    o.WriteLine($"    timeoutSeconds: {exec.TimeoutSeconds}");
                    List(o, "check", exec.Check);
                    List(o, "delete", exec.Delete);
                    break;
            }
        }
    }

    /// <summary>Text as a YAML literal block, so a file's content reads as it will be written.</summary>
    private static void Block(TextWriter o, string name, string text)
    {
        o.WriteLine(text.Length == 0 ? $"    {name}: \"\"" : $"    {name}: |{(text.EndsWith('\n') ? "" : "-")}");
        Indented(o, text, "      ");
    }

    private static void Indented(TextWriter o, string text, string indent)
    {
        if (text.Length == 0)
        {
            return;
        }

        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            o.WriteLine(indent + line);
        }
    }

    private static void List(TextWriter o, string name, IReadOnlyCollection<string> items)
    {
        if (items.Count > 0)
        {
            o.WriteLine($"    {name}: [{string.Join(", ", items.Select(Quote))}]");
        }
    }

    private static string Quote(string value) => JsonValue.Create(value).ToJsonString(Quoting);

    private static readonly System.Text.Json.JsonSerializerOptions Quoting = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
