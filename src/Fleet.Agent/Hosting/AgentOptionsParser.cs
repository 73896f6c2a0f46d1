using System.Globalization;
using System.Text.RegularExpressions;
using Fleet.Domain.Validation;

namespace Fleet.Agent.Hosting;

/// <summary>Parses fleet-agent's flags, reporting every problem; a bad command line starts nothing.</summary>
public static partial class AgentOptionsParser
{
    public const string Usage = """
        usage: fleet-agent --hub URL --name NAME --driver files|exec [--root DIR] [--label KEY=VALUE]... [--state-dir DIR] [--resync 30s] [--insecure]

          --hub URL            hub address (repeatable or comma-separated: the agent fails over between them)
          --name NAME          the target's name (DNS-1123 label)
          --label KEY=VALUE    a target label (repeatable)
          --driver files|exec  how this target applies resources (exec: commands run in STATE-DIR/exec-work)
          --root DIR           files driver: the directory it manages
          --state-dir DIR      local cache: desired state and the files inventory (default .fleet/agent-NAME)
          --resync DURATION    how often drift is checked and corrected, hub or no hub (default 30s)
          --insecure           talk plaintext h2c to a hub started with --insecure
        """;

    public static (AgentOptions? Options, IReadOnlyList<string> Errors, bool Help) Parse(IReadOnlyList<string> args)
    {
        var errors = new List<string>();
        var hubs = new List<Uri>();
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        string? name = null, driver = null, root = null, stateDir = null;
        var resync = TimeSpan.FromSeconds(30);
        var insecure = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var eq = arg.IndexOf('=');
            var (flag, inline) = arg.StartsWith("--", StringComparison.Ordinal) && eq > 0 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
            string? Value()
            {
                if (inline is not null)
                {
                    return inline;
                }

                if (i + 1 < args.Count)
                {
                    return args[++i];
                }

                errors.Add($"{flag} needs a value");
                return null;
            }

            switch (flag)
            {
                case "-h" or "--help":
                    return (null, [], true);
                case "--insecure":
                    insecure = true;
                    break;
                case "--hub":
                    foreach (var url in (Value() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                        {
                            hubs.Add(uri);
                        }
                        else
                        {
                            errors.Add($"--hub: '{url}' is not an http:// or https:// URL");
                        }
                    }

                    break;
                case "--name":
                    name = Value();
                    break;
                case "--label":
                    if (Value() is { } label)
                    {
                        var sep = label.IndexOf('=');
                        if (sep <= 0 || !NameRules.IsLabelKey(label[..sep]) || !NameRules.IsLabelValue(label[(sep + 1)..]))
                        {
                            errors.Add($"--label: '{label}' is not KEY=VALUE in Kubernetes label syntax");
                        }
                        else
                        {
                            labels[label[..sep]] = label[(sep + 1)..];
                        }
                    }

                    break;
                case "--driver":
                    driver = Value();
                    break;
                case "--root":
                    root = Value();
                    break;
                case "--state-dir":
                    stateDir = Value();
                    break;
                case "--resync":
                    if (Value() is { } text)
                    {
                        if (TryParseDuration(text, out var parsed) && parsed >= TimeSpan.FromSeconds(1))
                        {
                            resync = parsed;
                        }
                        else
                        {
                            errors.Add($"--resync: '{text}' is not a duration of at least 1s (e.g. 30s, 5m, 1h)");
                        }
                    }

                    break;
                case "--token" or "--ca" or "--kubeconfig" or "--context":
                    Value();
                    errors.Add($"{flag} is not supported by this agent build yet (it arrives with the security and kubernetes-driver work)");
                    break;
                default:
                    errors.Add($"unknown argument '{arg}'");
                    break;
            }
        }

        if (hubs.Count == 0)
        {
            errors.Add("--hub is required");
        }

        if (name is null)
        {
            errors.Add("--name is required");
        }
        else if (!NameRules.IsDns1123Label(name))
        {
            errors.Add($"--name: '{name}' is not a DNS-1123 label ([a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63 characters)");
        }

        switch (driver)
        {
            case null:
                errors.Add("--driver is required (files, exec)");
                break;
            case "files" when string.IsNullOrEmpty(root):
                errors.Add("--root is required with --driver files");
                break;
            case "files" or "exec":
                break;
            case "kubernetes":
                errors.Add($"--driver {driver} is not available in this agent build yet (files, exec)");
                break;
            default:
                errors.Add($"--driver: '{driver}' is not one of files, exec, kubernetes");
                break;
        }

        if (!insecure && hubs.Any(h => h.Scheme == "http"))
        {
            errors.Add("an http:// hub is plaintext: pass --insecure to talk to a hub started with --insecure");
        }

        if (hubs.Any(h => h.Scheme == "https"))
        {
            errors.Add("https:// hubs need enrollment (--token/--ca), which this agent build does not support yet: use an --insecure hub");
        }

        if (errors.Count > 0)
        {
            return (null, errors, false);
        }

        return (new AgentOptions
        {
            Hubs = hubs,
            Name = name!,
            Labels = labels,
            Driver = driver!,
            Root = root,
            StateDirectory = stateDir ?? Path.Combine(".fleet", $"agent-{name}"),
            Resync = resync,
            Insecure = insecure,
        }, [], false);
    }

    /// <summary>Go-style durations as operators write them: <c>30s</c>, <c>5m</c>, <c>1h30m</c>, <c>500ms</c>.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var matches = DurationPart().Matches(text);
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != text)
        {
            return false;
        }

        foreach (Match match in matches)
        {
            var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            duration += match.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                _ => TimeSpan.FromHours(value),
            };
        }

        return true;
    }

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|s|m|h)")]
    private static partial Regex DurationPart();
}
