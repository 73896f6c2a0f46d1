using Fleet.Agent.Drivers.Pipeline;

namespace Fleet.Agent.Drivers.Exec;

/// <summary>
/// What the exec driver last ran for one resource, persisted so a restarted agent neither runs a command again nor
/// forgets how to undo it: the desired hash it ran, whether it succeeded, and the <c>delete</c> argv with its
/// environment and timeout, which removal needs after the resource has left the desired set.
/// </summary>
internal sealed class ExecResourceRecord : IInventoryEntry
{
    public string Id { get; set; } = "";

    /// <summary>The desired resource hash the command last ran for; a different hash means a changed command.</summary>
    public string Hash { get; set; } = "";

    /// <summary>False while it runs (a crash then means "run it again") and after a failure.</summary>
    public bool Succeeded { get; set; }

    public long Revision { get; set; }

    public DateTimeOffset RanAt { get; set; }

    /// <summary>The last outcome and output tail, reported as the resource's status.</summary>
    public string Message { get; set; } = "";

    /// <summary>The last run's exit code; null when it could not start or was killed (and in inventories written before it was kept).</summary>
    public int? ExitCode { get; set; }

    /// <summary>The last run's stdout tail (env values masked): observed state, which dependents may read.</summary>
    public string StdoutTail { get; set; } = "";

    /// <summary>The last run's stderr tail (env values masked).</summary>
    public string StderrTail { get; set; } = "";

    /// <summary>
    /// The ids this resource depended on when last applied: while it is on the target, what it depends on is not
    /// removed, even after the desired set stopped naming either.
    /// </summary>
    public List<string> DependsOn { get; set; } = [];

    IEnumerable<string> IInventoryEntry.DependsOn => DependsOn;

    public List<string>? Delete { get; set; }

    public Dictionary<string, string> Env { get; set; } = new(StringComparer.Ordinal);

    public int TimeoutSeconds { get; set; }

    /// <summary>
    /// The pid (and process group) of the command's apply while it runs, with <see cref="RunStartTime"/>; null when none
    /// runs. Saved as soon as it starts, so an agent restarted after a kill -9 sees that its predecessor's run is still
    /// alive and does not start a second one next to it.
    /// </summary>
    public int? RunPid { get; set; }

    /// <summary>The running apply's start time (<see cref="RunningProcess.StartTime"/>), which tells it from a reused pid.</summary>
    public long? RunStartTime { get; set; }
}
