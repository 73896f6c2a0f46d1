using System.CommandLine;
using Fleet.Cli.Connection;
using Fleet.Domain.Rendering;
using Fleet.Domain.Yaml;
using Fleet.Protocol.Admin.V1;

namespace Fleet.Cli.Commands;

/// <summary>
/// <c>fleet apply -f PATH</c>: every document of every file is validated locally first, and only when
/// all are valid is anything sent, so a bad input changes nothing.
/// </summary>
internal static class ApplyCommand
{
    public static Command Create(GlobalOptions global)
    {
        var file = new Option<string>("--filename", "-f") { Description = "a YAML file, a directory of *.yaml, or - for stdin", Required = true };
        var command = new Command("apply", "create or update capabilities from YAML documents") { file };
        command.SetAction((result, _) => CliAction.Run(async () =>
        {
            var documents = Parse(Read(result.GetValue(file)!));
            var errors = documents.SelectMany(d => d.Errors).ToList();
            if (errors.Count > 0)
            {
                foreach (var error in errors)
                {
                    Console.Error.WriteLine($"error: {error}");
                }

                Console.Error.WriteLine($"error: {errors.Count} problem(s) found; nothing was applied");
                return CliAction.Invalid;
            }

            using var hub = global.Connect(result);
            foreach (var document in documents)
            {
                var response = await hub.Admin.ApplyAsync(
                    new ApplyRequest { Source = document.Source, Yaml = document.Text, FirstLine = document.Line },
                    deadline: HubClient.Deadline);
                if (response.Errors.Count > 0)
                {
                    foreach (var error in response.Errors)
                    {
                        Console.Error.WriteLine($"error: {error.Source}:{error.Line}:{error.Column}: {error.Field}: {error.Message}");
                    }

                    return CliAction.Invalid;
                }

                Console.WriteLine($"{response.Kind}/{response.Name} revision {response.Revision} {response.Outcome}");
                if (!string.IsNullOrEmpty(response.RolloutId))
                {
                    Console.WriteLine($"rollout/{response.RolloutId} started");
                }
            }

            return CliAction.Ok;
        }));
        return command;
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

    private static IEnumerable<(string Source, string Text)> Read(string path)
    {
        if (path == "-")
        {
            return [("<stdin>", Console.In.ReadToEnd())];
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

            return files.Select(f => (f, File.ReadAllText(f))).ToList();
        }

        if (!File.Exists(path))
        {
            throw new UsageException($"{path}: no such file or directory");
        }

        return [(path, File.ReadAllText(path))];
    }
}
