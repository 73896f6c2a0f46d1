using Grpc.Core;

namespace Fleet.Hub.Security;

/// <summary>
/// Asks again whether an open agent stream's certificate is still trusted. A revocation normally ends
/// the stream at once through the target's grain; but when that grain lost the stream (a node died)
/// the revocation reached no one, so a stream re-attaching checks the store first.
/// </summary>
internal sealed class AgentTrustCheck(ISecurityStore store)
{
    /// <summary>Why the stream may not go on, or null while its certificate stands (always null on an --insecure hub).</summary>
    public async Task<string?> ProblemAsync(ServerCallContext context)
    {
        if (context.GetHttpContext().Features.Get<Caller>() is not { CertificateSerial: { } serial } caller)
        {
            return null;
        }

        var issued = await store.FindCertificate(serial);
        return issued?.Revoked is null && issued is not null ? null : $"the certificate of target {caller.AgentName} was revoked";
    }
}
