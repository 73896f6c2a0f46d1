namespace Fleet.Domain.Model;

public enum RolloutTrigger
{
    /// <summary>A new revision starts a rollout by itself.</summary>
    Auto,

    /// <summary>A new revision waits for <c>fleet rollout start</c>.</summary>
    Manual,
}
