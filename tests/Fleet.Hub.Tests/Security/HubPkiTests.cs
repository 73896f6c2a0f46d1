using Fleet.Protocol.Security;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fleet.Hub.Hosting;
using Fleet.Hub.Security;
using Fleet.Hub.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fleet.Hub.Tests.Security;

/// <summary>The hub's certificates on disk: created once, private keys 0600, reused, renewed when they no longer fit.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class HubPkiTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private HubOptions Options => new() { DataDirectory = Path.Combine(_directory.Path, "hub") };

    [Fact]
    public void FirstStart_CreatesCaAndServingCertificate_KeysOwnerOnly_ServingCoversLoopback()
    {
        var pki = HubPki.LoadOrCreate(Options, DateTimeOffset.UtcNow, NullLogger.Instance);

        foreach (var key in new[] { HubPki.CaKeyFile, HubPki.ServingKeyFile })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(Options.DataDirectory, key)));
        }

        var names = pki.ServingCertificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains("localhost", names.EnumerateDnsNames());
        Assert.Contains(IPAddress.Loopback, names.EnumerateIPAddresses());
        Assert.Contains(IPAddress.IPv6Loopback, names.EnumerateIPAddresses());
        Assert.True(CertificateChains.IsIssuedBy(pki.ServingCertificate, pki.Ca, DateTimeOffset.UtcNow, CertificateChains.ServerAuthentication));
        Assert.False(CertificateChains.IsIssuedBy(pki.ServingCertificate, pki.Ca, DateTimeOffset.UtcNow, CertificateChains.ClientAuthentication));
        Assert.Equal(pki.CaPem, File.ReadAllText(Path.Combine(Options.DataDirectory, HubPki.CaCertificateFile)));
    }

    [Fact]
    public void SecondStart_ReusesBoth()
    {
        var first = HubPki.LoadOrCreate(Options, DateTimeOffset.UtcNow, NullLogger.Instance);
        var second = HubPki.LoadOrCreate(Options, DateTimeOffset.UtcNow, NullLogger.Instance);

        Assert.Equal(first.Ca.Thumbprint, second.Ca.Thumbprint);
        Assert.Equal(first.ServingCertificate.Thumbprint, second.ServingCertificate.Thumbprint);
    }

    [Fact]
    public void NewHostName_RenewsTheServingCertificateOnly()
    {
        var first = HubPki.LoadOrCreate(Options, DateTimeOffset.UtcNow, NullLogger.Instance);
        var second = HubPki.LoadOrCreate(Options with { Hosts = ["hub.example.com", "10.1.2.3"], Urls = "https://0.0.0.0:7400" }, DateTimeOffset.UtcNow, NullLogger.Instance);

        var names = second.ServingCertificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(first.Ca.Thumbprint, second.Ca.Thumbprint);
        Assert.NotEqual(first.ServingCertificate.Thumbprint, second.ServingCertificate.Thumbprint);
        Assert.Contains("hub.example.com", names.EnumerateDnsNames());
        Assert.Contains(IPAddress.Parse("10.1.2.3"), names.EnumerateIPAddresses());
        Assert.DoesNotContain(IPAddress.Any, names.EnumerateIPAddresses());
    }

    [Fact]
    public void ServingCertificateNearItsEnd_IsRenewedAtStart()
    {
        var now = DateTimeOffset.UtcNow;
        var first = HubPki.LoadOrCreate(Options, now, NullLogger.Instance);

        var later = HubPki.LoadOrCreate(Options, new DateTimeOffset(first.ServingCertificate.NotAfter.ToUniversalTime(), TimeSpan.Zero) - TimeSpan.FromDays(10), NullLogger.Instance);

        Assert.NotEqual(first.ServingCertificate.Thumbprint, later.ServingCertificate.Thumbprint);
    }

    [Fact]
    public void OperatorSuppliedCa_IssuesTheServingAndAgentCertificates_AndIsPublishedAsCaCrt()
    {
        var now = DateTimeOffset.UtcNow;
        using var own = CertificateFactory.CreateCa("company CA", now, TimeSpan.FromDays(100));
        var caCert = Path.Combine(_directory.Path, "own-ca.crt");
        var caKey = Path.Combine(_directory.Path, "own-ca.key");
        File.WriteAllText(caCert, own.ExportCertificatePem());
        File.WriteAllText(caKey, own.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.SetUnixFileMode(caKey, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var pki = HubPki.LoadOrCreate(Options with { CaCertificate = caCert, CaKey = caKey }, now, NullLogger.Instance);
        using var agentKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (agent, _) = pki.IssueClient(new CertificateRequest("CN=a1", agentKey, HashAlgorithmName.SHA256).PublicKey, "a1", now, TimeSpan.FromHours(1));

        Assert.Equal(own.Thumbprint, pki.Ca.Thumbprint);
        Assert.True(CertificateChains.IsIssuedBy(pki.ServingCertificate, own, now, CertificateChains.ServerAuthentication));
        Assert.True(CertificateChains.IsIssuedBy(agent, own, now, CertificateChains.ClientAuthentication));
        Assert.Equal(own.ExportCertificatePem(), File.ReadAllText(Path.Combine(Options.DataDirectory, HubPki.CaCertificateFile)));
        Assert.False(File.Exists(Path.Combine(Options.DataDirectory, HubPki.CaKeyFile)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(caKey));
    }

    [Fact]
    public void OperatorSuppliedServingCertificate_IsServedAsGiven()
    {
        var now = DateTimeOffset.UtcNow;
        using var other = CertificateFactory.CreateCa("other", now, TimeSpan.FromDays(10));
        using var serving = CertificateFactory.CreateServing(other, ["hub.internal"], [], now, TimeSpan.FromDays(5));
        var certificate = Path.Combine(_directory.Path, "tls.crt");
        var key = Path.Combine(_directory.Path, "tls.key");
        File.WriteAllText(certificate, serving.ExportCertificatePem() + "\n" + other.ExportCertificatePem() + "\n");
        File.WriteAllText(key, serving.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var pki = HubPki.LoadOrCreate(Options with { TlsCertificate = certificate, TlsKey = key }, now, NullLogger.Instance);

        Assert.Equal(serving.Thumbprint, pki.ServingCertificate.Thumbprint);
        Assert.Single(pki.ServingChain);
        Assert.False(File.Exists(Path.Combine(Options.DataDirectory, HubPki.ServingCertificateFile)));
    }

    [Fact]
    public void AgentCertificates_AreClientOnly_AndBoundToTheTargetName()
    {
        var now = DateTimeOffset.UtcNow;
        var pki = HubPki.LoadOrCreate(Options, now, NullLogger.Instance);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var (certificate, serial) = pki.IssueClient(new CertificateRequest("CN=ignored", key, HashAlgorithmName.SHA256).PublicKey, "a1", now, TimeSpan.FromHours(2));

        Assert.Equal("a1", certificate.GetNameInfo(X509NameType.SimpleName, false));
        Assert.Equal(serial, certificate.SerialNumber.ToUpperInvariant());
        Assert.True(CertificateChains.IsIssuedBy(certificate, pki.Ca, now, CertificateChains.ClientAuthentication));
        Assert.False(CertificateChains.IsIssuedBy(certificate, pki.Ca, now, CertificateChains.ServerAuthentication));
        Assert.False(CertificateChains.IsIssuedBy(certificate, pki.Ca, now + TimeSpan.FromHours(3), CertificateChains.ClientAuthentication));
        Assert.False(CertificateChains.IsIssuedBy(pki.Ca, pki.Ca, now, CertificateChains.ClientAuthentication));
    }

    public void Dispose() => _directory.Dispose();
}
