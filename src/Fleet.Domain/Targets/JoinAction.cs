namespace Fleet.Domain.Targets;

/// <summary>What a target's (re)connection does about one capability (<see cref="TargetCapabilityRules.OnJoin"/>).</summary>
public enum JoinAction
{
    /// <summary>Nothing changes: the target already has what placement says, or a rollout owns the change.</summary>
    None,

    /// <summary>The capability's running rollout decides: a wave not yet started takes the target, else the stable revision.</summary>
    OfferToRollout,

    /// <summary>The target newly matches: it receives the stable revision.</summary>
    PlaceStable,

    /// <summary>The target no longer matches: the capability is taken off it.</summary>
    Remove,
}
