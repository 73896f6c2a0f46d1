using System.Globalization;
using System.Text.RegularExpressions;
using Fleet.Domain.Validation;

namespace Fleet.Agent.Hosting;

/// <summary>Parses fleet-agent's flags, reporting every problem; a bad command line starts nothing.</summary>
public static partial class AgentOptionsParser
{
    public const string Usage = """
        usage: fleet-agent --hub URL --name NAME --driver files|exec|kubernetes [--root DIR] [--label KEY=VALUE]... [--state-dir DIR]
                           [--resync 30s] [--kubeconfig PATH] [--context NAME] [--force-conflicts]
                           [--token TOKEN | --token-file FILE] [--ca FILE] | [--insecure]

          --hub URL            hub address (repeatable or comma-separated: the agent fails over between them)
          --name NAME          the target's name (DNS-1123 label)
          --label KEY=VALUE    a target label (repeatable)
          --driver files|exec|kubernetes
                               how this target applies resources (exec: commands run in STATE-DIR/exec-work)
          --root DIR           files driver: the directory it manages
          --kubeconfig PATH    kubernetes driver: the cluster's kubeconfig (default: in-cluster, then ~/.kube/config)
          --context NAME       kubernetes driver: the kubeconfig context (default: its current context)
          --force-conflicts    kubernetes driver: take fields another field manager owns instead of reporting a conflict
          --state-dir DIR      local cache: desired state and the files inventory (default .fleet/agent-NAME)
          --resync DURATION    how often drift is checked and corrected, hub or no hub (default 30s)
          --token TOKEN        enrollment token (fleet token create --role agent): used once, then the agent keeps
                               its issued certificate in STATE-DIR/identity and renews it by itself
          --token-file FILE    read the enrollment token from FILE (keeps it out of the process list)
          --ca FILE            the hub's CA certificate to trust (the hub's DATA-DIR/ca.crt); default: the system's
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
        string? token = null, ca = null, kubeconfig = null, kubeContext = null;
        var forceConflicts = false;
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
                case "--token":
                    token = Value();
                    break;
                case "--token-file":
                    if (Value() is { } tokenFile)
                    {
                        try
                        {
                            token = File.ReadAllText(tokenFile).Trim();
                        }
                        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                        {
                            errors.Add($"--token-file: cannot read {tokenFile} ({e.Message})");
                        }
                    }

                    break;
                case "--ca":
                    if (Value() is { } caFile)
                    {
                        if (!File.Exists(caFile))
                        {
                            errors.Add($"--ca: {caFile} does not exist");
                        }

                        ca = caFile;
                    }

                    break;
                case "--kubeconfig":
                    if (Value() is { } kubeconfigFile)
                    {
                        if (!File.Exists(kubeconfigFile))
                        {
                            errors.Add($"--kubeconfig: {kubeconfigFile} does not exist");
                        }

                        kubeconfig = kubeconfigFile;
                    }

                    break;
                case "--context":
                    kubeContext = Value();
                    break;
                case "--force-conflicts":
                    forceConflicts = true;
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
                errors.Add("--driver is required (files, exec, kubernetes)");
                break;
            case "files" when string.IsNullOrEmpty(root):
                errors.Add("--root is required with --driver files");
                break;
            case "files" or "exec" or "kubernetes":
                break;
            default:
                errors.Add($"--driver: '{driver}' is not one of files, exec, kubernetes");
                break;
        }

        if (driver != "kubernetes" && (kubeconfig is not null || kubeContext is not null || forceConflicts))
        {
            errors.Add("--kubeconfig, --context and --force-conflicts apply to --driver kubernetes only");
        }

        if (!insecure && hubs.Any(h => h.Scheme == "http"))
        {
            errors.Add("an http:// hub is plaintext: pass --insecure to talk to a hub started with --insecure");
        }

        if (insecure && hubs.Any(h => h.Scheme == "https"))
        {
            errors.Add("--insecure talks plaintext to http:// hubs; an https:// hub needs enrollment (--token, --ca) instead");
        }

        if (token is not null && hubs.Any(h => h.Scheme == "http"))
        {
            errors.Add("--token would travel in plaintext to an http:// hub: enroll with a secure https:// hub");
        }

        if (token is { Length: 0 })
        {
            errors.Add("--token is empty");
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
            Token = token is { Length: > 0 } ? new Enrollment.EnrollmentToken(token) : null,
            CaFile = ca,
            Kubeconfig = kubeconfig,
            KubeContext = kubeContext,
            ForceConflicts = forceConflicts,
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
