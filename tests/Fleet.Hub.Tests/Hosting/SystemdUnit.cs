using System.Text;
using System.Text.RegularExpressions;

namespace Fleet.Hub.Tests.Hosting;

/// <summary>
/// A systemd unit file read as systemd reads the parts the tests check: sections of <c>Key=Value</c> lines
/// (a key may repeat), a trailing backslash continuing the line, and ExecStart's expansion: <c>${VAR}</c>
/// inside a word, <c>$VAR</c> as a whole word split at whitespace, and the specifiers <c>%d</c> (credentials
/// directory), <c>%S</c> (state root) and <c>%%</c>.
/// </summary>
internal sealed partial class SystemdUnit
{
    private readonly List<(string Section, string Key, string Value)> _entries = [];

    private SystemdUnit(string text)
    {
        var section = "";
        var logical = new StringBuilder();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (logical.Length == 0 && (line.TrimStart().StartsWith('#') || line.TrimStart().StartsWith(';')))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                logical.Append(line[..^1]).Append(' ');
                continue;
            }

            logical.Append(line);
            var entry = logical.ToString().Trim();
            logical.Clear();
            if (entry.StartsWith('[') && entry.EndsWith(']'))
            {
                section = entry[1..^1];
            }
            else if (entry.IndexOf('=', StringComparison.Ordinal) is var equals and > 0)
            {
                _entries.Add((section, entry[..equals].Trim(), entry[(equals + 1)..].Trim()));
            }
        }
    }

    public static SystemdUnit Load(string path) => new(File.ReadAllText(path));

    /// <summary>An EnvironmentFile: <c>KEY=VALUE</c> lines, comments and blank lines skipped.</summary>
    public static Dictionary<string, string> LoadEnvironment(string path) =>
        File.ReadAllLines(path)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1].Trim('"'), StringComparer.Ordinal);

    public IReadOnlyList<string> Values(string section, string key) =>
        [.. _entries.Where(e => e.Section == section && e.Key == key).Select(e => e.Value)];

    public string Value(string section, string key) => Assert.Single(Values(section, key));

    /// <summary>ExecStart as the words systemd passes to the program (the first is the program).</summary>
    public string[] ExecStart(IReadOnlyDictionary<string, string> environment, string credentialsDirectory, string stateDirectory)
    {
        var words = new List<string>();
        foreach (var word in Value("Service", "ExecStart").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (WholeVariable().Match(word) is { Success: true } whole)
            {
                words.AddRange(Lookup(environment, whole.Groups[1].Value).Split(' ', StringSplitOptions.RemoveEmptyEntries));
                continue;
            }

            var expanded = BracedVariable().Replace(word, match => Lookup(environment, match.Groups[1].Value));
            words.Add(Specifier().Replace(expanded, match => match.Value switch
            {
                "%d" => credentialsDirectory,
                "%S" => stateDirectory,
                "%%" => "%",
                _ => throw new Xunit.Sdk.XunitException($"ExecStart uses the specifier {match.Value}, which this test does not know"),
            }));
        }

        return [.. words];
    }

    private static string Lookup(IReadOnlyDictionary<string, string> environment, string name) =>
        environment.TryGetValue(name, out var value) ? value : throw new Xunit.Sdk.XunitException($"ExecStart uses ${name}, which the EnvironmentFile does not set");

    [GeneratedRegex(@"^\$([A-Za-z_][A-Za-z0-9_]*)$")]
    private static partial Regex WholeVariable();

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex BracedVariable();

    [GeneratedRegex("%.")]
    private static partial Regex Specifier();
}
