using Fleet.Domain.Validation;
using Fleet.Hub.Hosting;
using Fleet.Protocol.Security.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Fleet.Hub.Security;

/// <summary>
/// Turns a one-time agent token and a CSR into a short-lived client certificate bound to the target
/// name, and renews it for an agent that still holds a valid one. The agent's private key never
/// travels; the token is spent in the same transaction that records the certificate.
/// </summary>
internal sealed partial class AgentEnrollmentService(
    IServiceProvider services,
    ISecurityStore store,
    SecurityClock clock,
    SecurityMode mode,
    HubOptions options,
    ILogger<AgentEnrollmentService> logger) : AgentEnrollment.AgentEnrollmentBase
{
    // One message for every kind of bad token, so a caller cannot probe which tokens exist.
    // Resolved on use: an --insecure hub has no PKI, and refuses before it would need one.
    private HubPki Pki => services.GetRequiredService<HubPki>();

    private const string BadToken = "the enrollment token is not valid: unknown, already used, expired or revoked (create one with: fleet token create --role agent)";

    public override async Task<EnrollResponse> Enroll(EnrollRequest request, ServerCallContext context)
    {
        RequireSecure();
        if (!NameRules.IsDns1123Label(request.Name))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "the target name is not a DNS-1123 label"));
        }

        if (TokenCodec.Parse(request.Token) is not { } token)
        {
            LogRefused(logger, request.Name, "(malformed)", EnrollmentRefusal.UnknownToken.ToString());
            throw new RpcException(new Status(StatusCode.Unauthenticated, BadToken));
        }

        var key = ReadKey(request.CsrPem, request.Name);
        var now = clock.Now;
        var (certificate, serial) = Pki.IssueClient(key, request.Name, now, options.AgentCertificateLifetime);
        using (certificate)
        {
            var record = Record(certificate, serial, request.Name, now);
            var refusal = await store.ConsumeEnrollmentToken(token.Id, token.Hash, record, now);
            switch (refusal)
            {
                case EnrollmentRefusal.None:
                    LogEnrolled(logger, request.Name, token.Id, serial, record.NotAfter);
                    return Response(certificate);
                case EnrollmentRefusal.AlreadyEnrolled:
                    LogRefused(logger, request.Name, token.Id, refusal.ToString());
                    throw new RpcException(new Status(StatusCode.FailedPrecondition,
                        $"target {request.Name} is already enrolled and its certificate is valid: revoke it first (fleet target revoke {request.Name}), " +
                        $"or create a token for it (fleet token create --role agent --target {request.Name})"));
                default:
                    LogRefused(logger, request.Name, token.Id, refusal.ToString());
                    throw new RpcException(new Status(StatusCode.Unauthenticated, BadToken));
            }
        }
    }

    public override async Task<EnrollResponse> Renew(RenewRequest request, ServerCallContext context)
    {
        RequireSecure();
        var caller = context.GetHttpContext().Features.Get<Caller>()!;
        var target = caller.AgentName!;
        var key = ReadKey(request.CsrPem, target);
        var now = clock.Now;
        var (certificate, serial) = Pki.IssueClient(key, target, now, options.AgentCertificateLifetime);
        using (certificate)
        {
            var record = Record(certificate, serial, target, now);
            await store.InsertCertificate(record);
            LogRenewed(logger, target, serial, record.NotAfter);
            return Response(certificate);
        }
    }

    private static System.Security.Cryptography.X509Certificates.PublicKey ReadKey(string pem, string target)
    {
        var (key, problem) = SigningRequests.Read(pem, target);
        return key ?? throw new RpcException(new Status(StatusCode.InvalidArgument, problem!));
    }

    private static IssuedCertificate Record(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, string serial, string target, DateTimeOffset now) =>
        new(serial, target, Utc(certificate.NotBefore), Utc(certificate.NotAfter), now, null);

    private EnrollResponse Response(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate) => new()
    {
        CertificatePem = certificate.ExportCertificatePem(),
        CaPem = Pki.CaPem,
        NotAfter = Timestamp.FromDateTimeOffset(Utc(certificate.NotAfter)),
    };

    private static DateTimeOffset Utc(DateTime time) => new(time.ToUniversalTime(), TimeSpan.Zero);

    private void RequireSecure()
    {
        if (mode.Insecure)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, "this hub runs with --insecure: agents connect with --insecure and need no enrollment"));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Enrolled target {Target} with token {TokenId}: certificate {Serial} valid until {NotAfter:u}")]
    private static partial void LogEnrolled(ILogger logger, string target, string tokenId, string serial, DateTimeOffset notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused to enroll target {Target} with token {TokenId}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string target, string tokenId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Renewed the certificate of target {Target}: {Serial} valid until {NotAfter:u}")]
    private static partial void LogRenewed(ILogger logger, string target, string serial, DateTimeOffset notAfter);
}
