using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Fleet.Hub.Security;

/// <summary>
/// Makes the hub's certificates: its CA, its serving certificate and agents' client certificates.
/// ECDSA P-256 throughout: small, fast to generate and verify, supported by every TLS stack.
/// </summary>
internal static class CertificateFactory
{
    /// <summary>Slack for clocks that run a little behind the hub's.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    public static X509Certificate2 CreateCa(string commonName, DateTimeOffset now, TimeSpan lifetime)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(Subject(commonName), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request.CreateSelfSigned(now - ClockSkew, now + lifetime);
    }

    public static X509Certificate2 CreateServing(X509Certificate2 ca, IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses, DateTimeOffset now, TimeSpan lifetime)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(Subject("fleet-hub"), key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var dns in dnsNames)
        {
            names.AddDnsName(dns);
        }

        foreach (var address in addresses)
        {
            names.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(names.Build());
        AddLeafExtensions(request, ca, ServerAuth, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement);
        using var issued = request.Create(ca, Clamp(now - ClockSkew, ca), Clamp(now + lifetime, ca), NewSerial());
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>Signs an agent's key for its target name: client authentication only, short-lived.</summary>
    public static X509Certificate2 SignClient(X509Certificate2 ca, PublicKey agentKey, string target, byte[] serial, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var request = new CertificateRequest(Subject(target), agentKey, HashAlgorithmName.SHA256);
        AddLeafExtensions(request, ca, ClientAuth, X509KeyUsageFlags.DigitalSignature);
        return request.Create(ca, Clamp(notBefore, ca), Clamp(notAfter, ca), serial);
    }

    public static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        // Positive as a DER integer: some TLS stacks refuse negative serials.
        serial[0] &= 0x7F;
        serial[0] |= 0x01;
        return serial;
    }

    public static bool IsClientCertificate(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>()
            .Any(e => e.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == ClientAuth));

    private static void AddLeafExtensions(CertificateRequest request, X509Certificate2 ca, string usage, X509KeyUsageFlags keyUsage)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(keyUsage, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
    }

    // A certificate may not outlive its issuer: chain building would refuse it.
    private static DateTimeOffset Clamp(DateTimeOffset time, X509Certificate2 ca)
    {
        var notBefore = new DateTimeOffset(ca.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var notAfter = new DateTimeOffset(ca.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        return time < notBefore ? notBefore : time > notAfter ? notAfter : time;
    }

    private static X500DistinguishedName Subject(string commonName)
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(commonName);
        builder.AddOrganizationName("fleet");
        return builder.Build();
    }
}
