using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fleet.Agent.Enrollment;

namespace Fleet.Agent.Tests.Enrollment;

/// <summary>The issued key and certificate: the owner's alone, written so that a link planted there is not followed.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AgentIdentityStoreTests : IDisposable
{
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerDirectory = OwnerFile | UnixFileMode.UserExecute;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Save_KeyAndCertificate_AreOwnerOnlyInAnOwnerOnlyDirectory_AndLoadAgain()
    {
        var store = new AgentIdentityStore(_dir.State);
        Directory.CreateDirectory(store.Directory);
        File.SetUnixFileMode(store.Directory, OwnerDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var (key, certificate) = Identity("a1");

        store.Save(key, certificate);

        Assert.Equal((OwnerFile, OwnerFile, OwnerDirectory), (File.GetUnixFileMode(store.KeyPath), File.GetUnixFileMode(store.CertificatePath), File.GetUnixFileMode(store.Directory)));
        Assert.Equal(["agent.crt", "agent.key"], Directory.EnumerateFileSystemEntries(store.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using var loaded = store.Load();
        Assert.Equal("a1", loaded!.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
    }

    [Theory]
    [InlineData("agent.key")]
    [InlineData("agent.key.tmp")]
    [InlineData("agent.crt.tmp")]
    public void Save_SymlinkPlantedInTheIdentityDirectory_IsNotFollowed(string planted)
    {
        var store = new AgentIdentityStore(_dir.State);
        Directory.CreateDirectory(store.Directory);
        var victim = Path.Combine(_dir.Outside, "victim");
        File.WriteAllText(victim, "untouched");
        File.CreateSymbolicLink(Path.Combine(store.Directory, planted), victim);
        var (key, certificate) = Identity("a1");

        store.Save(key, certificate);

        Assert.Equal("untouched", File.ReadAllText(victim));
        Assert.Null(new FileInfo(store.KeyPath).LinkTarget);
        using var loaded = store.Load();
        Assert.NotNull(loaded);
    }

    [Fact]
    public void Save_OfflineIdentity_AddsTheHubCertificateOwnerOnlyBesideKeyAndCertificate()
    {
        var store = new AgentIdentityStore(_dir.State);
        var (key, certificate) = Identity("edge-1");
        var (_, hub) = Identity("fleet test CA");

        store.Save(key, certificate, hub);

        Assert.Equal(["agent.crt", "agent.key", "ca.crt"], Directory.EnumerateFileSystemEntries(store.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal((OwnerFile, hub), (File.GetUnixFileMode(store.CaPath), File.ReadAllText(store.CaPath)));
        using var loaded = store.Load();
        Assert.Equal("edge-1", loaded!.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
    }

    private static (string KeyPem, string CertificatePem) Identity(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        return (key.ExportPkcs8PrivateKeyPem(), certificate.ExportCertificatePem());
    }
}
