using System.Globalization;
using System.Text.RegularExpressions;
using Fleet.Domain.Model;

namespace Fleet.Domain.Yaml;

/// <summary>The <c>exec</c> resource kind.</summary>
internal sealed partial class ExecReader(DiagnosticSink sink, TemplateScope templates) : SectionReader(sink)
{
    public const int MaxExecTimeoutSeconds = 7 * 86400;

    public ExecSpec Read(DocMapping exec, string path, List<ResourceReference> references)
    {
        var fields = Fields(exec, path, ["command", "stdin", "env", "timeoutSeconds", "check", "delete"]);
        var command = Argv(exec, fields, "command", path, required: true, references) ?? [];
        string? stdin = null;
        if (fields.TryGetValue("stdin", out var stdinEntry) && !IsNull(stdinEntry.Value) && String(stdinEntry.Value, path + ".stdin") is { } text)
        {
            stdin = text;
            if (text.Length > CapabilityReader.MaxContentBytes)
            {
                Report(stdinEntry.Value, path + ".stdin", $"stdin is larger than {CapabilityReader.MaxContentBytes / 1024} KiB");
            }
            else
            {
                templates.Check((DocScalar)stdinEntry.Value, path + ".stdin", templates.ResourceVariables, references);
            }
        }

        var env = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (Mapping(exec, fields, "env", path + ".env", required: false) is { } envMap)
        {
            foreach (var (keyNode, valueNode) in envMap.Entries)
            {
                if (String(keyNode, path + ".env") is not { } name)
                {
                    continue;
                }

                var field = $"{path}.env.{name}";
                if (!EnvName().IsMatch(name))
                {
                    Report(keyNode, field, $"'{name}' is not an environment variable name: letters, digits and '_', not starting with a digit");
                }

                var value = IsNull(valueNode) ? "" : String(valueNode, field);
                if (value is not null && !IsNull(valueNode))
                {
                    templates.Check((DocScalar)valueNode, field, templates.ResourceVariables, references);
                }

                if (!env.TryAdd(name, value ?? ""))
                {
                    Report(keyNode, field, $"duplicate environment variable '{name}'");
                }
            }
        }

        int? timeout = null;
        if (OptionalString(fields, "timeoutSeconds", path + ".timeoutSeconds") is { } t)
        {
            if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= MaxExecTimeoutSeconds)
            {
                timeout = seconds;
            }
            else
            {
                Report(fields["timeoutSeconds"].Value, path + ".timeoutSeconds", $"timeoutSeconds must be a whole number of seconds from 1 to {MaxExecTimeoutSeconds}, not '{t}'");
            }
        }

        return new ExecSpec
        {
            Command = command,
            Stdin = stdin,
            Env = env,
            TimeoutSeconds = timeout,
            Check = Argv(exec, fields, "check", path, required: false, references),
            Delete = Argv(exec, fields, "delete", path, required: false, references),
        };
    }

    /// <summary>An argv list: at least the program, every element a string that may hold <c>${...}</c>.</summary>
    private List<string>? Argv(DocMapping parent, Dictionary<string, DocEntry> fields, string name, string path, bool required, List<ResourceReference> references)
    {
        var field = $"{path}.{name}";
        if (Sequence(parent, fields, name, field, required) is not { } list)
        {
            return null;
        }

        if (list.Items.Count == 0)
        {
            Report(list, field, $"{name} needs at least the program to run, e.g. [\"/usr/local/bin/notify\", \"${{target.name}}\"]");
            return null;
        }

        var argv = new List<string>(list.Items.Count);
        for (var i = 0; i < list.Items.Count; i++)
        {
            var item = $"{field}[{i}]";
            if (Expect<DocScalar>(list.Items[i], item) is not { } scalar)
            {
                continue;
            }

            if (i == 0 && scalar.Value.Length == 0)
            {
                Report(scalar, item, "the program to run is empty");
            }

            templates.Check(scalar, item, templates.ResourceVariables, references);
            argv.Add(scalar.Value);
        }

        return argv;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvName();
}
