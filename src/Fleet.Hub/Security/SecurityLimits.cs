namespace Fleet.Hub.Security;

/// <summary>
/// Rates and sizes at the hub's boundary. Defaults are far above what a healthy agent or operator
/// does and far below what would let one caller starve the rest; tests lower them.
/// </summary>
internal sealed record SecurityLimits
{
    /// <summary>Messages an agent may send in a burst on its stream, then per second.</summary>
    public int AgentMessageBurst { get; init; } = 2000;

    public int AgentMessagesPerSecond { get; init; } = 500;

    /// <summary>Calls (streams opened, renewals) per agent: a burst, then one per this many seconds.</summary>
    public int AgentCallBurst { get; init; } = 20;

    public TimeSpan AgentCallPeriod { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Calls per operator token: a burst, then this many per second.</summary>
    public int OperatorCallBurst { get; init; } = 200;

    public int OperatorCallsPerSecond { get; init; } = 50;

    /// <summary>Calls without a valid credential (enrollment, refusals), per remote address.</summary>
    public int AnonymousCallBurst { get; init; } = 30;

    public int AnonymousCallsPerSecond { get; init; } = 3;

    /// <summary>Largest request of the security services (tokens, CSRs): they are all small.</summary>
    public int MaxSecurityMessageBytes { get; init; } = 64 * 1024;

    /// <summary>Newest audit records one listing returns at most.</summary>
    public int MaxAuditRecords { get; init; } = 10_000;
}
