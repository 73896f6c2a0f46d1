namespace Fleet.Hub.Targets;

[GenerateSerializer]
public enum AssignStatus
{
    /// <summary>Handed to the agent (or queued for it while offline); the result comes as a report.</summary>
    Waiting,

    /// <summary>The target already runs the revision (or no longer has the capability): nothing to wait for.</summary>
    Done,

    /// <summary>The target cannot run it (render or placement error); no agent round trip will change that.</summary>
    Failed,

    /// <summary>Not connected, and the rollout leaves offline targets for later: nothing was changed.</summary>
    Skipped,
}
