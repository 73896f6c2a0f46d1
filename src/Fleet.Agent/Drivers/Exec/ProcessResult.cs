namespace Fleet.Agent.Drivers.Exec;

/// <summary>How one run of an argv ended. <see cref="ExitCode"/> is null when it did not start or was killed.</summary>
internal sealed record ProcessResult(int? ExitCode, bool TimedOut, string Output, string? StartError)
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
}
