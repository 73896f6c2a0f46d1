using System.CommandLine;
using System.CommandLine.Parsing;
using Fleet.Domain.Time;
using Fleet.Domain.Validation;

namespace Fleet.Agent.Hosting;

/// <summary>
/// fleet-agent's flags (SPEC §1), typed: each parses and checks its own value, so a bad one is reported by the flag's
/// name and nothing starts. Defaults are stated in the descriptions, which is what <c>--help</c> shows.
/// </summary>
internal sealed class AgentFlags
{
    public static readonly TimeSpan DefaultResync = TimeSpan.FromSeconds(30);

    /// <summary>A resync more often than this would only load the target.</summary>
    public static readonly TimeSpan MinResync = TimeSpan.FromSeconds(1);

    /// <summary>Drift left longer than a day is no longer corrected in any useful sense (and timers stop at ~49 days).</summary>
    public static readonly TimeSpan MaxResync = TimeSpan.FromHours(24);

    public static readonly IReadOnlyList<string> Drivers = Fleet.Domain.Rendering.DriverNames.All;

    /// <summary>git driver: the branch written to unless --branch names another.</summary>
    public const string DefaultBranch = "main";

    public Option<IReadOnlyList<Uri>> Hub { get; } = new("--hub")
    {
        Description = "hub address (repeatable or comma-separated: the agent fails over between them in order) (required without --import)",
        HelpName = "URL",
        Arity = ArgumentArity.OneOrMore,
        CustomParser = ParseHubs,
    };

    public Option<string> Name { get; } = WithValidator(
        new Option<string>("--name") { Description = "the target's name, a DNS-1123 label", HelpName = "NAME", Required = true },
        name => NameRules.IsDns1123Label(name) ? null : $"--name: '{name}' is not a DNS-1123 label ([a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63 characters)");

    public Option<IReadOnlyDictionary<string, string>> Label { get; } = new("--label")
    {
        Description = "a target label in Kubernetes label syntax (repeatable) (default: none)",
        HelpName = "KEY=VALUE",
        Arity = ArgumentArity.OneOrMore,
        CustomParser = ParseLabels,
    };

    public Option<string> Driver { get; } = WithValidator(
        new Option<string>("--driver") { Description = "how this target applies resources; exec runs commands in STATE-DIR/exec-work; git writes manifests into --repo from a working copy in STATE-DIR/git-work", HelpName = string.Join('|', Drivers), Required = true },
        driver => Drivers.Contains(driver, StringComparer.Ordinal) ? null : $"--driver: '{driver}' is not one of {string.Join(", ", Drivers)}");

    public Option<string?> Root { get; } = WithValidator(
        new Option<string?>("--root") { Description = "files driver: the directory it manages, created if missing (required with --driver files)", HelpName = "DIR" },
        root => DirectoryError("--root", root));

    public Option<string?> StateDirectory { get; } = WithValidator(
        new Option<string?>("--state-dir") { Description = "the agent's local cache: desired state, unsent reports, its certificate (default: .fleet/agent-NAME)", HelpName = "DIR" },
        dir => DirectoryError("--state-dir", dir));

    public Option<TimeSpan?> Resync { get; } = new("--resync")
    {
        Description = $"how often drift is checked and corrected, hub or no hub, {Durations.Format(MinResync)} to {Durations.Format(MaxResync)} (default: {Durations.Format(DefaultResync)})",
        HelpName = "DURATION",
        CustomParser = ParseResync,
    };

    public Option<string?> Kubeconfig { get; } = WithValidator(
        new Option<string?>("--kubeconfig") { Description = "kubernetes driver: the cluster's kubeconfig (default: in-cluster, then $KUBECONFIG or ~/.kube/config)", HelpName = "PATH" },
        path => File.Exists(path) ? null : $"--kubeconfig: {path} does not exist or is not a file");

    public Option<string?> Context { get; } = new("--context")
    {
        Description = "kubernetes driver: the kubeconfig context (default: its current context)",
        HelpName = "NAME",
    };

    public Option<bool> ForceConflicts { get; } = new("--force-conflicts")
    {
        Description = "kubernetes driver: take fields another field manager owns instead of reporting a conflict (default: off)",
    };

    public Option<string?> Repo { get; } = WithValidator(
        new Option<string?>("--repo") { Description = "git driver: the repository to write to, a URL or a path on this machine (required with --driver git)", HelpName = "URL_OR_PATH" },
        GitPaths.RepositoryError);

    public Option<string?> Branch { get; } = WithValidator(
        new Option<string?>("--branch") { Description = $"git driver: the branch to write to, created by the first push if missing (default: {DefaultBranch})", HelpName = "BRANCH" },
        GitPaths.BranchError);

    public Option<string?> RepoPath { get; } = WithValidator(
        new Option<string?>("--path") { Description = "git driver: the directory of the repository it writes under, relative to its top, '.' for the top (default: the target's name)", HelpName = "DIR" },
        GitPaths.DirectoryError);

    public Option<string?> Token { get; } = new("--token")
    {
        Description = "enrollment token (fleet token create --role agent): used once, then the agent keeps its issued certificate in STATE-DIR/identity and renews it itself (default: none)",
        HelpName = "TOKEN",
    };

    public Option<string?> TokenFile { get; } = new("--token-file")
    {
        Description = "read the enrollment token from FILE, keeping it out of the process list (default: none)",
        HelpName = "FILE",
        CustomParser = ReadTokenFile,
    };

    public Option<string?> Ca { get; } = WithValidator(
        new Option<string?>("--ca") { Description = "the hub's CA certificate to trust, the hub's DATA-DIR/ca.crt (default: the system's trust store)", HelpName = "FILE" },
        CaError);

    public Option<bool> Insecure { get; } = new("--insecure")
    {
        Description = "talk plaintext h2c to a hub started with --insecure (default: off)",
    };

    public Option<string?> Import { get; } = WithValidator(
        new Option<string?>("--import") { Description = "air-gapped target: apply the signed desired bundle in FILE (fleet bundle export) once, write the report bundle to --report-out, and exit, never talking to a hub; STATE-DIR holds the identity fleet target create --offline wrote (default: off)", HelpName = "FILE" },
        path => File.Exists(path) ? null : $"--import: {path} does not exist or is not a file");

    public Option<string?> ReportOut { get; } = WithValidator(
        new Option<string?>("--report-out") { Description = "with --import: where the signed report bundle is written, owner-only, for fleet bundle import (required with --import)", HelpName = "REPORT" },
        ReportError);

    public IEnumerable<Option> All =>
        [Hub, Name, Label, Driver, Root, StateDirectory, Resync, Kubeconfig, Context, ForceConflicts, Repo, Branch, RepoPath, Token, TokenFile, Ca, Insecure, Import, ReportOut];

    private static Option<T> WithValidator<T>(Option<T> option, Func<T, string?> error)
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && result.GetValueOrDefault<T>() is { } value && error(value) is { } message)
            {
                result.AddError(message);
            }
        });
        return option;
    }

    private static IReadOnlyList<Uri> ParseHubs(ArgumentResult result)
    {
        var hubs = new List<Uri>();
        foreach (var url in result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                hubs.Add(uri);
            }
            else
            {
                result.AddError($"--hub: '{url}' is not an http:// or https:// URL");
            }
        }

        if (hubs.Count == 0 && result.Tokens.All(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length == 0))
        {
            result.AddError("--hub: no address given");
        }

        return hubs;
    }

    private static IReadOnlyDictionary<string, string> ParseLabels(ArgumentResult result)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var label in result.Tokens.Select(t => t.Value))
        {
            var sep = label.IndexOf('=', StringComparison.Ordinal);
            if (sep <= 0 || !NameRules.IsLabelKey(label[..sep]) || !NameRules.IsLabelValue(label[(sep + 1)..]))
            {
                result.AddError($"--label: '{label}' is not KEY=VALUE in Kubernetes label syntax");
            }
            else
            {
                labels[label[..sep]] = label[(sep + 1)..];
            }
        }

        return labels;
    }

    private static TimeSpan? ParseResync(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        if (!Durations.TryParse(text, out var resync))
        {
            result.AddError($"--resync: '{text}' is not a duration (e.g. 30s, 5m, 1h30m)");
            return null;
        }

        if (resync < MinResync || resync > MaxResync)
        {
            result.AddError($"--resync: {text} is out of range: from {Durations.Format(MinResync)} to {Durations.Format(MaxResync)}");
            return null;
        }

        return resync;
    }

    private static string? ReadTokenFile(ArgumentResult result)
    {
        var path = result.Tokens.Single().Value;
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            result.AddError($"--token-file: cannot read {path} ({e.Message})");
            return null;
        }
    }

    /// <summary>The agent creates the directory if missing: the path must not be, or lie under, something that is not one.</summary>
    private static string? DirectoryError(string flag, string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return $"{flag}: the directory is empty";
        }

        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return $"{flag}: '{path}' is not a path ({e.Message})";
        }

        for (var current = full; current is not null; current = Path.GetDirectoryName(current))
        {
            if (Directory.Exists(current))
            {
                return null;
            }

            if (File.Exists(current))
            {
                return current == full ? $"{flag}: {path} is a file, not a directory" : $"{flag}: {path} cannot be created: {current} is a file";
            }
        }

        return null;
    }

    /// <summary>The report is written in an existing directory, never over a directory.</summary>
    private static string? ReportError(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "--report-out: the file is empty";
        }

        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return $"--report-out: '{path}' is not a path ({e.Message})";
        }

        return Directory.Exists(full) ? $"--report-out: {path} is a directory, not a file"
            : Path.GetDirectoryName(full) is { } parent && !Directory.Exists(parent) ? $"--report-out: the directory {parent} does not exist"
            : null;
    }

    private static string? CaError(string? path)
    {
        if (!File.Exists(path))
        {
            return $"--ca: {path} does not exist or is not a file";
        }

        try
        {
            Enrollment.HubTls.LoadTrust(path);
            return null;
        }
        catch (InvalidDataException e)
        {
            return $"--ca: {e.Message}";
        }
    }
}
