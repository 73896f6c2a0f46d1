namespace Fleet.Agent.Drivers.Exec;

/// <summary>How the exec driver retries a failed command within one converge; a resync retries it again later.</summary>
internal sealed record ExecOptions
{
    /// <summary>Attempts after the first; bounded so one failing job cannot hold the reconcile loop for long.</summary>
    public int Retries { get; init; } = 2;

    /// <summary>First pause between attempts; it doubles each time, with jitter.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);
}
