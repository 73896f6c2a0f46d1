using System.CommandLine;
using Fleet.Cli.Connection;
using Fleet.Cli.Input;
using Fleet.Cli.Output;
using Fleet.Domain.Inputs;
using Fleet.Domain.Rendering;
using Fleet.Domain.Yaml;
using Fleet.Protocol.Admin.V1;
using Grpc.Core;

namespace Fleet.Cli.Commands;

/// <summary>
/// <c>fleet apply -f PATH</c>: every document of every file is validated locally first, and only when
/// all are valid is anything sent, so a bad input changes nothing.
/// </summary>
internal static class ApplyCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var file = new Option<string>("--filename", "-f") { Description = "a YAML file, a directory of *.yaml, or - for stdin", Required = true };
        var command = new Command("apply", "create or update capabilities and instances from YAML documents") { file };
        command.SetAction((result, _) => CliAction.Run(console, async () =>
        {
            var documents = Parse(Read(console, result.GetValue(file)!));
            var errors = documents.SelectMany(d => d.Errors).Select(ToMessage).ToList();
            errors.AddRange(Duplicates(documents));
            using var hub = global.Connect(result);
            try
            {
                // With the input refused already, a hub that does not answer soon is not waited for.
                errors.AddRange(await HubProblems(hub, documents, errors.Count > 0 ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(30)));
            }
            catch (Exception e) when (errors.Count > 0 && e is RpcException or HubUnreachableException)
            {
                // The input is refused already (exit 2, whatever the hub's state): the problems only the hub can find
                // wait for a hub that answers.
            }

            if (errors.Count > 0)
            {
                PrintErrors(console, errors);
                console.Error.WriteLine($"error: {errors.Count} problem(s) found; nothing was applied");
                return CliAction.Invalid;
            }

            foreach (var document in documents)
            {
                var response = await hub.Admin.ApplyAsync(
                    new ApplyRequest { Source = document.Source, Yaml = document.Text, FirstLine = document.Line },
                    deadline: hub.Deadline);
                if (response.Errors.Count > 0)
                {
                    // Only when someone changed the hub between the dry run and now.
                    PrintErrors(console, response.Errors);
                    return CliAction.Invalid;
                }

                console.Out.WriteLine($"{response.Kind}/{response.Name} revision {response.Revision} {response.Outcome}");
                if (!string.IsNullOrEmpty(response.RolloutId))
                {
                    console.Out.WriteLine($"rollout/{response.RolloutId} started");
                }
            }

            return CliAction.Ok;
        }));
        return command;
    }

    /// <summary>
    /// What only the hub can check (an Instance against its capability's inputs, a capability against its instances),
    /// for every valid document, before any is applied. An Instance of a capability defined in the same input is checked
    /// here against that definition instead, since the hub does not have it yet (and not at all when that definition is
    /// itself refused: its own errors say why).
    /// </summary>
    private static async Task<List<Diagnostic>> HubProblems(HubClient hub, List<ParsedDocument> documents, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var defined = documents.Where(d => d.Kind == "Capability" && d.Name.Length > 0).Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        var capabilities = documents.Where(d => d.Capability is not null).GroupBy(d => d.Capability!.Name).ToDictionary(g => g.Key, g => g.Last().Capability!);
        var errors = new List<Diagnostic>();
        foreach (var document in documents.Where(d => d.IsValid))
        {
            if (document.Instance is { } instance && defined.Contains(instance.Capability))
            {
                if (capabilities.TryGetValue(instance.Capability, out var local))
                {
                    errors.AddRange(InstanceInputs.Check(document, local).Errors.Select(ToMessage));
                }

                continue;
            }

            var response = await hub.Admin.ApplyAsync(
                new ApplyRequest { Source = document.Source, Yaml = document.Text, FirstLine = document.Line, DryRun = true },
                deadline: deadline);
            errors.AddRange(response.Errors);
        }

        return errors;
    }

    /// <summary>One input names each object once: two documents for the same object would make one apply two revisions.</summary>
    private static IEnumerable<Diagnostic> Duplicates(List<ParsedDocument> documents) =>
        documents
            .Where(d => d.Kind.Length > 0 && d.Name.Length > 0)
            .GroupBy(d => (d.Kind, d.Name))
            .Where(g => g.Count() > 1)
            .SelectMany(g => g.Skip(1).Select(d => new Diagnostic
            {
                Source = d.Source, Line = d.Line, Column = 1, Field = "metadata.name",
                Message = $"{g.Key.Kind.ToLowerInvariant()}/{g.Key.Name} is already defined in this input ({g.First().Source}:{g.First().Line}); apply each object once",
            }));

    private static Diagnostic ToMessage(Domain.Diagnostics.Diagnostic e) =>
        new() { Source = e.Source, Line = e.Line, Column = e.Column, Field = e.Field, Message = e.Message };

    private static void PrintErrors(CliConsole console, IEnumerable<Diagnostic> errors)
    {
        foreach (var error in errors)
        {
            console.Error.WriteLine(string.IsNullOrEmpty(error.Field)
                ? $"error: {error.Source}:{error.Line}:{error.Column}: {error.Message}"
                : $"error: {error.Source}:{error.Line}:{error.Column}: {error.Field}: {error.Message}");
        }
    }

    internal static List<ParsedDocument> Parse(IEnumerable<(string Source, string Text)> inputs)
    {
        var documents = inputs.SelectMany(i => DocumentParser.ParseAll(i.Text, i.Source, TemplateEnvironment.Engine)).ToList();
        if (documents.Count == 0)
        {
            throw new UsageException("no YAML documents found in the input");
        }

        return documents;
    }

    private static IEnumerable<(string Source, string Text)> Read(CliConsole console, string path)
    {
        if (path == "-")
        {
            return [("<stdin>", InputText.ReadStream(console.Input, "<stdin>"))];
        }

        if (Directory.Exists(path))
        {
            var files = Directory.EnumerateFiles(path)
                .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .ToList();
            if (files.Count == 0)
            {
                throw new UsageException($"{path}: no *.yaml files in this directory");
            }

            return files.Select(f => (f, InputText.ReadFile(f))).ToList();
        }

        if (!File.Exists(path))
        {
            throw new UsageException($"{path}: no such file or directory");
        }

        return [(path, InputText.ReadFile(path))];
    }
}
