using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Fleet.Hub.Security;

/// <summary>
/// Reads an agent's certificate signing request. The signature proves the agent holds the private
/// key; the common name must be the target it enrolls as; only strong keys are signed.
/// </summary>
internal static class SigningRequests
{
    private const int MaxPemLength = 16 * 1024;
    private const string EcPublicKey = "1.2.840.10045.2.1";
    private const string RsaPublicKey = "1.2.840.113549.1.1.1";
    private const string CommonName = "2.5.4.3";

    /// <summary>The request's public key, or why it cannot be signed for <paramref name="target"/>.</summary>
    public static (PublicKey? Key, string? Problem) Read(string pem, string target)
    {
        if (pem.Length is 0 or > MaxPemLength)
        {
            return (null, "the certificate signing request is empty or too large");
        }

        CertificateRequest request;
        try
        {
            request = CertificateRequest.LoadSigningRequestPem(pem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        }
        catch (CryptographicException)
        {
            return (null, "the certificate signing request is not a valid, correctly signed PKCS#10 request");
        }

        var commonNames = request.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(rdn => rdn.GetSingleElementType().Value == CommonName)
            .Select(rdn => rdn.GetSingleElementValue())
            .ToList();
        if (commonNames.Count != 1 || commonNames[0] != target)
        {
            return (null, $"the certificate signing request must have the common name {target}, and only that");
        }

        var strong = request.PublicKey.Oid.Value switch
        {
            EcPublicKey => request.PublicKey.GetECDsaPublicKey() is { KeySize: >= 256 } ec && Dispose(ec),
            RsaPublicKey => request.PublicKey.GetRSAPublicKey() is { KeySize: >= 2048 } rsa && Dispose(rsa),
            _ => false,
        };
        return strong ? (request.PublicKey, null) : (null, "the key must be ECDSA (P-256 or stronger) or RSA (2048 bits or more)");
    }

    private static bool Dispose(AsymmetricAlgorithm key)
    {
        key.Dispose();
        return true;
    }
}
