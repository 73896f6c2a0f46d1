namespace Fleet.Hub.Targets;

/// <summary>
/// The push channel from a TargetGrain to the gRPC stream of its connected agent, on whichever hub
/// node holds that stream. The payload is the serialized <c>fleet.agent.v1.DesiredSet</c>: the grain
/// builds the exact wire message once and the stream writes it unchanged.
/// </summary>
[Alias("Fleet.Hub.Targets.IAgentObserver")]
public interface IAgentObserver : IGrainObserver
{
    [Alias("OnDesiredSet")]
    void OnDesiredSet(VersionedDesiredSet desiredSet);

    /// <summary>The target was revoked: the stream ends with <paramref name="reason"/>, on every node.</summary>
    [Alias("OnCutOff")]
    void OnCutOff(string reason);
}
