namespace Fleet.Hub.Agents;

/// <summary>Bounds on what an agent may send; anything beyond is refused, never stored.</summary>
internal static class AgentMessageLimits
{
    public const int MaxLabels = 64;
    public const int MaxFacts = 64;
    public const int MaxFactKeyLength = 63;
    public const int MaxFactValueLength = 1024;
    public const int MaxReports = 1000;
    public const int MaxResourcesPerReport = 1000;
    public const int MaxKeyLength = 253;
    public const int MaxMessageLength = 4096;

    /// <summary>The observed object of one resource (agents send at most 64 KiB of UTF-8; characters are never more).</summary>
    public const int MaxObservedJsonLength = 64 * 1024;
    public const int MaxHashLength = 128;
    public const int MaxAgentVersionLength = 64;
    public const int MaxMessageBytes = Fleet.Protocol.AgentStreamLimits.MaxMessageBytes;
    public static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(10);
    public static readonly IReadOnlyList<string> Drivers = Fleet.Domain.Rendering.DriverNames.All;
}
