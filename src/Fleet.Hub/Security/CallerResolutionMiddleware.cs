using Fleet.Protocol.Security;
using Microsoft.Net.Http.Headers;

namespace Fleet.Hub.Security;

/// <summary>
/// Establishes who calls, once per request, before rate limiting and before any gRPC method runs: an
/// agent by the client certificate the TLS handshake verified (then checked against the certificates
/// the hub issued and has not revoked), an operator by a bearer token (<see cref="OperatorTokenCheck"/>,
/// the check the dashboard's login shares). Authorization happens later, per method, in
/// <see cref="SecurityInterceptor"/>; this only says who it is.
/// </summary>
internal sealed partial class CallerResolutionMiddleware(
    RequestDelegate next,
    ISecurityStore store,
    OperatorTokenCheck tokens,
    SecurityMode mode,
    ILogger<CallerResolutionMiddleware> logger)
{
    private const string BearerPrefix = "Bearer ";

    public async Task InvokeAsync(HttpContext context)
    {
        context.Features.Set(mode.Insecure ? Caller.Insecure : await Resolve(context));
        await next(context);
    }

    private async Task<Caller> Resolve(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (context.Connection.ClientCertificate is { } certificate)
        {
            return await ResolveAgent(certificate, remote);
        }

        string? header = context.Request.Headers[HeaderNames.Authorization];
        if (string.IsNullOrEmpty(header))
        {
            return Caller.Anonymous(remote);
        }

        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            LogMalformedHeader(logger, remote);
            return Caller.Anonymous(remote, "the token is not a fleet token");
        }

        return await tokens.Resolve(header[BearerPrefix.Length..], remote);
    }

    private async Task<Caller> ResolveAgent(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, string remote)
    {
        // The handshake already checked the chain to the hub's CA and the validity period.
        var serial = CertificateChains.Serial(certificate);
        var issued = await store.FindCertificate(serial);
        if (issued is null)
        {
            LogUnknownCertificate(logger, serial, remote);
            return Caller.Anonymous(remote, "this client certificate was not issued by this hub");
        }

        if (issued.Revoked is not null)
        {
            LogRevokedCertificate(logger, issued.Target, serial, remote);
            return Caller.Anonymous(remote, $"the certificate of target {issued.Target} was revoked") with { AgentName = issued.Target };
        }

        return Caller.Agent(issued.Target, serial, new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an authorization header that is not a bearer token from {Remote}")]
    private static partial void LogMalformedHeader(ILogger logger, string remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused client certificate {Serial} from {Remote}: not issued by this hub")]
    private static partial void LogUnknownCertificate(ILogger logger, string serial, string remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused the revoked certificate {Serial} of target {Target} from {Remote}")]
    private static partial void LogRevokedCertificate(ILogger logger, string target, string serial, string remote);
}
