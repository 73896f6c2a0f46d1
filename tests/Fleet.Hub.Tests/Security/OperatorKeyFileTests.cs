using System.Security.Cryptography.X509Certificates;
using Fleet.Hub.Hosting;
using Fleet.Hub.Security;
using Fleet.Hub.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fleet.Hub.Tests.Security;

/// <summary>
/// The hub never changes the mode of a file it is given: a key others can read, or a file that is not
/// PEM, is refused with a message saying what to do; and its own key files are never reached through a link.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OperatorKeyFileTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly TempDirectory _directory = new();

    private HubOptions Options => new() { DataDirectory = Path.Combine(_directory.Path, "hub") };

    [Theory]
    [InlineData(UnixFileMode.GroupRead)]
    [InlineData(UnixFileMode.GroupRead | UnixFileMode.OtherRead)]
    [InlineData(UnixFileMode.OtherWrite)]
    public void OperatorKey_AccessibleByOthers_IsRefused_AndKeepsItsMode(UnixFileMode extra)
    {
        var (certificate, key) = WriteOperatorCa(OwnerOnly | extra);

        var tls = Assert.Throws<HubStartupException>(() => HubPki.LoadOrCreate(Options with { TlsCertificate = certificate, TlsKey = key }, DateTimeOffset.UtcNow, NullLogger.Instance));
        var ca = Assert.Throws<HubStartupException>(() => HubPki.CheckOperatorFiles(Options with { CaCertificate = certificate, CaKey = key }));

        Assert.StartsWith($"--tls-key {key} is accessible by other users", tls.Message, StringComparison.Ordinal);
        Assert.Contains("chmod 600 it", tls.Message, StringComparison.Ordinal);
        Assert.StartsWith($"--ca-key {key} is accessible by other users", ca.Message, StringComparison.Ordinal);
        Assert.Equal(OwnerOnly | extra, File.GetUnixFileMode(key));
    }

    [Fact]
    public void OperatorFiles_ThatAreNotPem_AreRefused_AndKeepTheirMode()
    {
        var (certificate, key) = WriteOperatorCa(OwnerOnly);
        var text = Path.Combine(_directory.Path, "passwd");
        File.WriteAllText(text, "root:x:0:0:root:/root:/bin/bash\n");
        File.SetUnixFileMode(text, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var notCertificate = Assert.Throws<HubStartupException>(() => HubPki.CheckOperatorFiles(Options with { TlsCertificate = text, TlsKey = key }));
        var notKey = Assert.Throws<HubStartupException>(() => HubPki.CheckOperatorFiles(Options with { CaCertificate = certificate, CaKey = text }));
        var certificateAsKey = Assert.Throws<HubStartupException>(() => HubPki.CheckOperatorFiles(Options with { CaCertificate = certificate, CaKey = certificate }));

        Assert.Equal($"--tls-cert {text} is not a PEM certificate (no -----BEGIN CERTIFICATE----- block)", notCertificate.Message);
        Assert.Equal($"--ca-key {text} is not a PEM private key (no -----BEGIN PRIVATE KEY----- block)", notKey.Message);
        Assert.StartsWith($"--ca-key {certificate} is not a PEM private key", certificateAsKey.Message, StringComparison.Ordinal);
        Assert.Equal(OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(text));
    }

    [Fact]
    public void OperatorKey_OfAnotherCertificate_IsRefused()
    {
        var (certificate, _) = WriteOperatorCa(OwnerOnly, "a");
        var (_, otherKey) = WriteOperatorCa(OwnerOnly, "b");

        var refused = Assert.Throws<HubStartupException>(() => HubPki.CheckOperatorFiles(Options with { CaCertificate = certificate, CaKey = otherKey }));

        Assert.StartsWith($"--ca-key {otherKey} and --ca-cert {certificate} do not load as a certificate with its key", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OwnKeyFile_ThatIsASymbolicLink_IsRefused_AndItsTargetKeepsItsMode()
    {
        HubPki.LoadOrCreate(Options, DateTimeOffset.UtcNow, NullLogger.Instance);
        var keyPath = Path.Combine(Options.DataDirectory, HubPki.CaKeyFile);
        var elsewhere = Path.Combine(_directory.Path, "elsewhere.key");
        File.Move(keyPath, elsewhere);
        File.SetUnixFileMode(elsewhere, OwnerOnly | UnixFileMode.OtherRead);
        File.CreateSymbolicLink(keyPath, elsewhere);

        var refused = Assert.Throws<IOException>(() => HubPki.LoadOrCreate(Options, DateTimeOffset.UtcNow, NullLogger.Instance));

        Assert.Contains("is a symbolic link", refused.Message, StringComparison.Ordinal);
        Assert.Equal(OwnerOnly | UnixFileMode.OtherRead, File.GetUnixFileMode(elsewhere));
    }

    [Fact]
    public void OwnKeyFile_LeftReadableByOthers_IsNarrowedTo0600()
    {
        HubPki.LoadOrCreate(Options, DateTimeOffset.UtcNow, NullLogger.Instance);
        var keyPath = Path.Combine(Options.DataDirectory, HubPki.ServingKeyFile);
        File.SetUnixFileMode(keyPath, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        HubPki.LoadOrCreate(Options, DateTimeOffset.UtcNow, NullLogger.Instance);

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(keyPath));
    }

    public void Dispose() => _directory.Dispose();

    private (string Certificate, string Key) WriteOperatorCa(UnixFileMode keyMode, string name = "own")
    {
        using var ca = CertificateFactory.CreateCa($"{name} CA", DateTimeOffset.UtcNow, TimeSpan.FromDays(30));
        var certificate = Path.Combine(_directory.Path, $"{name}-ca.crt");
        var key = Path.Combine(_directory.Path, $"{name}-ca.key");
        File.WriteAllText(certificate, ca.ExportCertificatePem());
        File.WriteAllText(key, ca.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.SetUnixFileMode(key, keyMode);
        return (certificate, key);
    }
}
