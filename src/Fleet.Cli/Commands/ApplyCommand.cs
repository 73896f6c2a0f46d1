using System.CommandLine;
using System.Text;
using Fleet.Cli.Connection;
using Fleet.Cli.Input;
using Fleet.Cli.Output;
using Fleet.Domain.Rendering;
using Fleet.Domain.Yaml;
using Fleet.Protocol;
using Fleet.Protocol.Admin.V1;
using Grpc.Core;

namespace Fleet.Cli.Commands;

/// <summary>
/// <c>fleet apply -f PATH</c>: every document of every file is validated locally first; only when all are valid are they
/// sent, in one request that the hub checks as a whole and stores all or none of, so a bad input changes nothing.
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
            if (ApplyLimits.TooLarge(documents.Count, documents.Sum(d => (long)Encoding.UTF8.GetByteCount(d.Text))) is { } tooLarge)
            {
                throw new UsageException(tooLarge);
            }

            var errors = documents.SelectMany(d => d.Errors).Concat(DuplicateDocuments.Find(documents)).Select(ToMessage).ToList();
            using var hub = global.Connect(result);
            if (errors.Count > 0)
            {
                try
                {
                    // With the input refused already, a hub that does not answer soon is not waited for.
                    var local = errors.ToHashSet();
                    errors.AddRange((await HubProblems(hub, documents, TimeSpan.FromSeconds(5))).Where(e => !local.Contains(e)));
                }
                catch (Exception e) when (e is RpcException or HubUnreachableException)
                {
                    // The input is refused already (exit 2, whatever the hub's state): the problems only the hub can find
                    // wait for a hub that answers.
                }

                return Refuse(console, errors);
            }

            // One request: the hub checks every document and stores all of them or none.
            var request = new ApplyAllRequest();
            request.Documents.Add(documents.Select(d => new ApplyRequest { Source = d.Source, Yaml = d.Text, FirstLine = d.Line }));
            var response = await hub.Admin.ApplyAllAsync(request, deadline: hub.Deadline);
            if (response.Errors.Count > 0)
            {
                return Refuse(console, response.Errors);
            }

            foreach (var applied in response.Results)
            {
                console.Out.WriteLine($"{applied.Kind}/{applied.Name} revision {applied.Revision} {applied.Outcome}");
                if (!string.IsNullOrEmpty(applied.RolloutId))
                {
                    console.Out.WriteLine($"rollout/{applied.RolloutId} started");
                }
            }

            return CliAction.Ok;
        }));
        return command;
    }

    private static int Refuse(CliConsole console, IReadOnlyCollection<Diagnostic> errors)
    {
        PrintErrors(console, errors);
        console.Error.WriteLine($"error: {errors.Count} problem(s) found; nothing was applied");
        return CliAction.Invalid;
    }

    /// <summary>
    /// What only the hub can check of the valid documents of an input refused already, so that one run lists every
    /// problem: one dry run of them together. An Instance of a capability whose definition in the same input is refused is
    /// left out (that definition's own errors say why).
    /// </summary>
    private static async Task<IEnumerable<Diagnostic>> HubProblems(HubClient hub, List<ParsedDocument> documents, TimeSpan timeout)
    {
        var refused = documents.Where(d => d.Kind == "Capability" && d.Name.Length > 0 && !d.IsValid).Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        var valid = documents.Where(d => d.IsValid && !(d.Instance is { } instance && refused.Contains(instance.Capability))).ToList();
        if (valid.Count == 0)
        {
            return [];
        }

        var request = new ApplyAllRequest { DryRun = true };
        request.Documents.Add(valid.Select(d => new ApplyRequest { Source = d.Source, Yaml = d.Text, FirstLine = d.Line }));
        var response = await hub.Admin.ApplyAllAsync(request, deadline: DateTime.UtcNow + timeout);
        return response.Errors;
    }

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
