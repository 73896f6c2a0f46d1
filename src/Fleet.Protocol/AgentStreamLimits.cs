namespace Fleet.Protocol;

/// <summary>
/// The size bound of an agent's stream, defined once for both ends: the hub's receive and send options, the agent's
/// channel, and the hub's decision of what a target's desired set may carry. A desired set larger than what the agent
/// receives used to cut the target off entirely (the agent looped on ResourceExhausted); the hub now keeps every desired
/// set within <see cref="MaxDesiredSetBytes"/> instead.
/// </summary>
public static class AgentStreamLimits
{
    /// <summary>The largest message either side of an agent's stream sends or receives: 4 MiB, gRPC's default receive size.</summary>
    public const int MaxMessageBytes = 4 * 1024 * 1024;

    /// <summary>Room kept for what wraps a desired set on the wire (the hub message around it).</summary>
    public const int EnvelopeReserveBytes = 1024;

    /// <summary>The most a serialized desired set may take, so that the message carrying it stays within <see cref="MaxMessageBytes"/>.</summary>
    public const int MaxDesiredSetBytes = MaxMessageBytes - EnvelopeReserveBytes;
}
