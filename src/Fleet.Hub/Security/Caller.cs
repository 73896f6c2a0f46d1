namespace Fleet.Hub.Security;

/// <summary>
/// Who is calling, as established once per request from the TLS client certificate or the bearer
/// token. <see cref="Who"/> is what the audit log and the logs show: never a secret.
/// </summary>
internal sealed record Caller(CallerKind Kind, string Who, FleetRole? Role, string RateKey)
{
    /// <summary>Why a presented credential was not accepted; shown to the caller, so it names no secret.</summary>
    public string? Problem { get; init; }

    /// <summary>For agents: the target the certificate was issued to.</summary>
    public string? AgentName { get; init; }

    public string? CertificateSerial { get; init; }

    public DateTimeOffset? CertificateNotAfter { get; init; }

    public static Caller Insecure { get; } = new(CallerKind.Insecure, "insecure", null, "insecure");

    public static Caller Anonymous(string remote, string? problem = null) =>
        new(CallerKind.Anonymous, "anonymous", null, $"ip:{remote}") { Problem = problem };

    public static Caller Operator(StoredToken token) =>
        new(CallerKind.Operator, token.Who, token.Role, $"token:{token.Id}");

    public static Caller Agent(string name, string serial, DateTimeOffset notAfter) =>
        new(CallerKind.Agent, $"target:{name}", FleetRole.Agent, $"agent:{name}")
        {
            AgentName = name,
            CertificateSerial = serial,
            CertificateNotAfter = notAfter,
        };

    public string RoleName => Kind switch
    {
        CallerKind.Insecure => "insecure",
        CallerKind.Anonymous => "none",
        _ => Role is { } role ? FleetRoles.Name(role) : "none",
    };
}
