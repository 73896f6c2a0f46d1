using System.Security.Cryptography.X509Certificates;
using Fleet.Protocol.Security;

namespace Fleet.Protocol.Bundles;

/// <summary>
/// How a target's certificate is read, the same as on the agent stream: the hub CA issues it for the target's name as
/// the subject's common name, for client authentication, and nothing else names a target.
/// </summary>
public static class TargetCertificates
{
    /// <summary>The target a certificate was issued for (its subject's common name).</summary>
    public static string Target(X509Certificate2 certificate) => certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);

    /// <summary>
    /// Whether <paramref name="certificate"/> is a target's: issued directly by <paramref name="ca"/>, valid at
    /// <paramref name="at"/>, for client authentication (not the hub's serving certificate).
    /// </summary>
    public static bool IsIssuedBy(X509Certificate2 certificate, X509Certificate2 ca, DateTimeOffset at) =>
        CertificateChains.IsIssuedBy(certificate, ca, at, CertificateChains.ClientAuthentication);
}
