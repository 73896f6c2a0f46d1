using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Fleet.Protocol.Security;

/// <summary>Chain checks against one private CA, never against the machine's trust store: for agent streams, the hub's serving certificate and report bundles alike.</summary>
public static class CertificateChains
{
    public const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";
    public const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    /// <summary>
    /// Whether <paramref name="certificate"/> was issued by <paramref name="ca"/>, is valid at
    /// <paramref name="at"/> and allows <paramref name="usage"/>. A certificate from any other CA,
    /// public ones included, is refused: the hub's CA is the only root agents can be trusted by.
    /// </summary>
    public static bool IsIssuedBy(X509Certificate2 certificate, X509Certificate2 ca, DateTimeOffset at, string usage)
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
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(usage));
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

    /// <summary>The SHA-256 fingerprint of the certificate as <c>openssl x509 -fingerprint -sha256</c> shows it (AB:CD:...).</summary>
    public static string Fingerprint(X509Certificate2 certificate) =>
        string.Join(':', certificate.GetCertHashString(HashAlgorithmName.SHA256).Chunk(2).Select(pair => new string(pair)));

    /// <summary>The serial number as the hub records it: upper-case hex, as shown by openssl.</summary>
    public static string Serial(X509Certificate2 certificate) => certificate.SerialNumber.ToUpperInvariant();
}
