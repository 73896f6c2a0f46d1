namespace Fleet.Agent.Drivers.Git;

/// <summary>How one git command ended: its exit code (null when it did not start or was killed) and what it printed.</summary>
internal sealed record GitResult(int? ExitCode, string Stdout, string Stderr)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>
    /// One line for a message in git's own words: its <c>fatal:</c> line or the ref it rejected (a push ends with a
    /// generic "failed to push some refs"), else its last line.
    /// </summary>
    public string Why()
    {
        var lines = Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = lines.FirstOrDefault(l => l.StartsWith("fatal:", StringComparison.Ordinal) || l.StartsWith("! [", StringComparison.Ordinal)) ?? lines.LastOrDefault();
        return line ?? (ExitCode is { } code ? $"exit code {code}" : "did not finish");
    }
}
