namespace Fleet.Hub.Targets;

/// <summary>What <see cref="ITargetGrain.Attach"/> found.</summary>
[GenerateSerializer, Alias("Fleet.Hub.Targets.AttachStatus")]
public enum AttachStatus
{
    /// <summary>The grain already pushes to this stream; nothing changed.</summary>
    Attached,

    /// <summary>
    /// The grain had no stream (a new activation: its node died, or it moved) and now pushes to this
    /// one; the outcome carries the desired set, which may have changed meanwhile.
    /// </summary>
    Resumed,

    /// <summary>Another stream of the target took over: this one must end.</summary>
    Replaced,
}
