namespace Fleet.Agent.Drivers.Exec;

/// <summary>
/// How one run of an argv ended. <see cref="ExitCode"/> is null when it did not start or was killed.
/// <see cref="Output"/> is the tail of stdout and stderr interleaved; <see cref="Stdout"/> and <see cref="Stderr"/>
/// the tail of each alone.
/// </summary>
internal sealed record ProcessResult(int? ExitCode, bool TimedOut, string Output, string? StartError, string Stdout, string Stderr)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;

    /// <summary>One line for status: what happened and the output tail.</summary>
    public string Describe(TimeSpan timeout)
    {
        var outcome = StartError is not null ? $"could not start: {StartError}"
            : TimedOut ? $"timed out after {timeout.TotalSeconds:0.###}s and was killed with its child processes"
            : $"exit code {ExitCode}";
        return Output.Length == 0 ? outcome : $"{outcome}; output: {Output}";
    }

    /// <summary>The result with every occurrence of <paramref name="secrets"/> masked in what the command printed.</summary>
    public ProcessResult Masked(IReadOnlyCollection<string> secrets) => secrets.Count == 0
        ? this
        : this with { Output = SecretMask.Apply(Output, secrets), Stdout = SecretMask.Apply(Stdout, secrets), Stderr = SecretMask.Apply(Stderr, secrets) };
}
