namespace Fleet.Domain.Model;

/// <summary>What a rollout does when its failure budget is exceeded.</summary>
public enum OnFailure
{
    /// <summary>Stop starting updates and wait for an operator (resume, undo or abort).</summary>
    Pause,

    /// <summary>Move every target this rollout changed back to the revision it ran before.</summary>
    Rollback,
}
