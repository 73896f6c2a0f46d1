using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fleet.Agent.Enrollment;
using Fleet.Hub.Security;

namespace Fleet.Agent.Tests.Bundles;

/// <summary>
/// A hub CA and the target identities it issues, made by the hub's own <see cref="CertificateFactory"/> (linked into
/// this project), so that bundles are signed and checked with the certificates a real hub hands out.
/// </summary>
internal sealed class TestPki : IDisposable
{
    private readonly List<X509Certificate2> _issued = [];

    public TestPki(string commonName = "fleet test CA")
    {
        Ca = CertificateFactory.CreateCa(commonName, Now, TimeSpan.FromDays(3650));
    }

    public static DateTimeOffset Now { get; } = DateTimeOffset.UtcNow;

    /// <summary>The CA with its private key: the hub's bundle signer.</summary>
    public X509Certificate2 Ca { get; }

    /// <summary>The CA's certificate alone, as a target's ca.crt holds it.</summary>
    public X509Certificate2 CaCertificate => X509CertificateLoader.LoadCertificate(Ca.RawData);

    /// <summary>A target certificate with its key, for client authentication, as enrollment or <c>target create --offline</c> issues it.</summary>
    public X509Certificate2 Target(string name, TimeSpan? lifetime = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var publicKey = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256).PublicKey;
        using var issued = CertificateFactory.SignClient(Ca, publicKey, name, CertificateFactory.NewSerial(), Now - TimeSpan.FromMinutes(1), Now + (lifetime ?? TimeSpan.FromDays(365)));
        var withKey = issued.CopyWithPrivateKey(key);
        _issued.Add(withKey);
        return withKey;
    }

    /// <summary>Writes an offline target's identity into <paramref name="stateDirectory"/> as <c>fleet target create --offline</c> does.</summary>
    public X509Certificate2 WriteIdentity(string stateDirectory, string name)
    {
        var target = Target(name);
        using var key = target.GetECDsaPrivateKey()!;
        new AgentIdentityStore(stateDirectory).Save(key.ExportPkcs8PrivateKeyPem(), target.ExportCertificatePem(), Ca.ExportCertificatePem());
        return target;
    }

    public void Dispose()
    {
        foreach (var certificate in _issued)
        {
            certificate.Dispose();
        }

        Ca.Dispose();
    }
}
