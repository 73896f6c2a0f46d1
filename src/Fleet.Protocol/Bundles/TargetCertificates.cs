using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Fleet.Protocol.Bundles;

/// <summary>
/// How a target's certificate is read, the same as on the agent stream: the hub CA issues it for the target's name as
/// the subject's common name, for client authentication, and nothing else names a target.
/// </summary>
public static class TargetCertificates
{
    public const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    /// <summary>The target a certificate was issued for (its subject's common name).</summary>
    public static string Target(X509Certificate2 certificate) => certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);

    /// <summary>The serial number as the hub records it: upper-case hex, as openssl shows it.</summary>
    public static string Serial(X509Certificate2 certificate) => certificate.SerialNumber.ToUpperInvariant();

    /// <summary>
    /// Whether <paramref name="certificate"/> was issued directly by <paramref name="ca"/> (never the CA itself, never
    /// through anything else, never the machine's trust store), is valid at <paramref name="at"/> and allows client
    /// authentication: a target's certificate, not the hub's serving one.
    /// </summary>
    public static bool IsIssuedBy(X509Certificate2 certificate, X509Certificate2 ca, DateTimeOffset at)
    {
        if (certificate.RawDataMemory.Span.SequenceEqual(ca.RawDataMemory.Span))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ClientAuthentication));
        try
        {
            return chain.Build(certificate) && chain.ChainElements.Count == 2;
        }
        finally
        {
            foreach (var element in chain.ChainElements)
            {
                element.Certificate.Dispose();
            }
        }
    }
}
