namespace Fleet.Agent.Drivers.Git;

/// <summary>How one git command ended: its exit code (null when it did not start or was killed) and what it printed.</summary>
internal sealed record GitResult(int? ExitCode, string Stdout, string Stderr)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>One line for a message: git's own words (its last stderr line is where it says why).</summary>
    public string Why()
    {
        var line = Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        return line ?? (ExitCode is { } code ? $"exit code {code}" : "did not finish");
    }
}
