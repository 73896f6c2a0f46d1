using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;

namespace Fleet.Agent.Hosting;

/// <summary>
/// fleet-agent's command line (System.CommandLine, as the fleet CLI): parses the flags, checks how they go together,
/// and reports every problem as one line each; a command line with any problem starts nothing (exit 2).
/// </summary>
internal static class AgentCommandLine
{
    public const int UsageExit = 2;

    public static (AgentOptions? Options, IReadOnlyList<string> Errors, bool Help) Parse(IReadOnlyList<string> args)
    {
        var flags = new AgentFlags();
        // Unknown arguments are reported here (one error per unknown flag, not one more for the value after it).
        var result = Command(flags, reportUnknown: false).Parse(args, Configuration);
        if (result.Action is HelpAction)
        {
            return (null, [], true);
        }

        // --hub is required unless the agent imports a bundle, said as System.CommandLine says it of a required flag.
        var hubMissing = result.GetResult(flags.Hub) is null && result.GetResult(flags.Import) is null ? ["Option '--hub' is required."] : Array.Empty<string>();
        var errors = result.Errors.Select(e => OneLine(e.Message)).Concat(hubMissing).Concat(Unmatched(result.UnmatchedTokens)).Distinct().ToList();
        if (errors.Count > 0)
        {
            return (null, errors, false);
        }

        errors.AddRange(Combinations(result, flags));
        if (errors.Count > 0)
        {
            return (null, errors, false);
        }

        var name = result.GetValue(flags.Name)!;
        var token = result.GetValue(flags.Token) ?? result.GetValue(flags.TokenFile);
        return (new AgentOptions
        {
            Hubs = result.GetValue(flags.Hub) ?? [],
            Name = name,
            Labels = result.GetValue(flags.Label) ?? new Dictionary<string, string>(),
            Driver = result.GetValue(flags.Driver)!,
            Root = result.GetValue(flags.Root),
            StateDirectory = result.GetValue(flags.StateDirectory) ?? Path.Combine(".fleet", $"agent-{name}"),
            Resync = result.GetValue(flags.Resync) ?? AgentFlags.DefaultResync,
            Insecure = result.GetValue(flags.Insecure),
            Token = token is null ? null : new Enrollment.EnrollmentToken(token),
            CaFile = result.GetValue(flags.Ca),
            Kubeconfig = result.GetValue(flags.Kubeconfig),
            KubeContext = result.GetValue(flags.Context),
            ForceConflicts = result.GetValue(flags.ForceConflicts),
            Git = result.GetValue(flags.Repo) is { } repo
                ? new Drivers.Git.GitOptions(
                    GitPaths.Repository(repo),
                    result.GetValue(flags.Branch) ?? AgentFlags.DefaultBranch,
                    GitPaths.Directory(result.GetValue(flags.RepoPath) ?? name))
                : null,
            ImportFile = result.GetValue(flags.Import) is { } import ? Path.GetFullPath(import) : null,
            ReportFile = result.GetValue(flags.ReportOut) is { } report ? Path.GetFullPath(report) : null,
        }, [], false);
    }

    /// <summary>Writes the help: every flag with what it means and its default.</summary>
    public static void WriteHelp(TextWriter output)
    {
        var result = Command(new AgentFlags(), reportUnknown: true).Parse(["--help"], Configuration);
        result.Invoke(new InvocationConfiguration { Output = output, Error = output });
    }

    // An argument starting with '@' is a value (a label value, a path), never a file of arguments to read.
    private static ParserConfiguration Configuration => new() { ResponseFileTokenReplacer = null };

    /// <param name="reportUnknown">Whether System.CommandLine reports unknown arguments; when not, its help offers them as pass-through arguments.</param>
    private static RootCommand Command(AgentFlags flags, bool reportUnknown)
    {
        var command = new RootCommand("fleet-agent: applies what the hub wants on one target (files, exec, kubernetes, or a git repository) and reports back")
        {
            TreatUnmatchedTokensAsErrors = reportUnknown,
        };
        foreach (var option in flags.All)
        {
            command.Options.Add(option);
        }

        return command;
    }

    /// <summary>An unknown flag is one error, the value that followed it none of its own.</summary>
    private static IEnumerable<string> Unmatched(IReadOnlyList<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].StartsWith('-'))
            {
                yield return $"unknown flag '{tokens[i].Split('=')[0]}'";
                if (i + 1 < tokens.Count && !tokens[i + 1].StartsWith('-'))
                {
                    i++;
                }
            }
            else
            {
                yield return $"unexpected argument '{tokens[i]}': fleet-agent takes flags only";
            }
        }
    }

    /// <summary>Checks of flags together, once each flag is valid on its own.</summary>
    private static IEnumerable<string> Combinations(ParseResult result, AgentFlags flags)
    {
        if (result.GetResult(flags.Import) is not null)
        {
            foreach (var error in ImportCombinations(result, flags))
            {
                yield return error;
            }
        }
        else
        {
            if (result.GetResult(flags.ReportOut) is not null)
            {
                yield return "--report-out goes with --import only";
            }

            foreach (var error in ConnectionCombinations(result, flags))
            {
                yield return error;
            }
        }

        var driver = result.GetValue(flags.Driver);
        if (driver == "files" && result.GetValue(flags.Root) is null)
        {
            yield return "--root is required with --driver files";
        }

        if (driver != "kubernetes" && (result.GetResult(flags.Kubeconfig) is not null || result.GetResult(flags.Context) is not null || result.GetValue(flags.ForceConflicts)))
        {
            yield return "--kubeconfig, --context and --force-conflicts apply to --driver kubernetes only";
        }

        if (driver == "git" && result.GetResult(flags.Repo) is null)
        {
            yield return "--repo is required with --driver git";
        }

        if (driver != "git" && (result.GetResult(flags.Repo) is not null || result.GetResult(flags.Branch) is not null || result.GetResult(flags.RepoPath) is not null))
        {
            yield return "--repo, --branch and --path apply to --driver git only";
        }
    }

    /// <summary>How the hub is reached: plaintext or TLS, and the enrollment token.</summary>
    private static IEnumerable<string> ConnectionCombinations(ParseResult result, AgentFlags flags)
    {
        var hubs = result.GetValue(flags.Hub) ?? [];
        var insecure = result.GetValue(flags.Insecure);
        if (!insecure && hubs.Any(h => h.Scheme == "http"))
        {
            yield return "an http:// hub is plaintext: pass --insecure to talk to a hub started with --insecure";
        }

        if (insecure && hubs.Any(h => h.Scheme == "https"))
        {
            yield return "--insecure talks plaintext to http:// hubs; an https:// hub needs enrollment (--token, --ca) instead";
        }

        var token = result.GetValue(flags.Token);
        var tokenFile = result.GetValue(flags.TokenFile);
        if (result.GetResult(flags.Token) is not null && result.GetResult(flags.TokenFile) is not null)
        {
            yield return "--token and --token-file: give the token one way";
        }
        else if ((token ?? tokenFile) is { Length: 0 })
        {
            yield return result.GetResult(flags.Token) is not null ? "--token is empty" : "--token-file: the file is empty";
        }

        if ((token ?? tokenFile) is not null && hubs.Any(h => h.Scheme == "http"))
        {
            yield return "--token would travel in plaintext to an http:// hub: enroll with a secure https:// hub";
        }
    }

    /// <summary>
    /// An import talks to no hub: the flags of a connection (and of what only a connection uses: labels, resync) are
    /// refused rather than ignored, so that nobody believes they took effect.
    /// </summary>
    private static IEnumerable<string> ImportCombinations(ParseResult result, AgentFlags flags)
    {
        if (result.GetResult(flags.ReportOut) is null)
        {
            yield return "--import needs --report-out REPORT: where the report bundle for the hub is written";
        }

        Option[] connection = [flags.Hub, flags.Token, flags.TokenFile, flags.Ca, flags.Insecure, flags.Label, flags.Resync];
        var given = connection.Where(o => result.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
        if (given.Count > 0)
        {
            yield return $"{string.Join(", ", given)}: --import talks to no hub (labels are set by fleet target create, the bundle's signer is STATE-DIR/identity/ca.crt)";
        }

        if (result.GetValue(flags.Import) is { } import && result.GetValue(flags.ReportOut) is { } report
            && Path.GetFullPath(import) == Path.GetFullPath(report))
        {
            yield return "--report-out: the report would overwrite the bundle being imported";
        }
    }

    private static string OneLine(string message) => string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
