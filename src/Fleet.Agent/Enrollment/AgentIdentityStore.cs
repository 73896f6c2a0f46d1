using System.Security.Cryptography.X509Certificates;
using System.Text;
using Fleet.Agent.Drivers.Pipeline;

namespace Fleet.Agent.Enrollment;

/// <summary>
/// The agent's key and certificate in <c>--state-dir/identity/</c> (0700), both 0600. The key is
/// written before the certificate, each atomically and durably (see <see cref="AtomicFile"/>), so a
/// crash never leaves a certificate whose key is missing. An offline target's identity (SPEC §9,
/// <c>fleet target create --offline --state-dir DIR</c>) also holds the hub's <c>ca.crt</c> there: the
/// certificate that desired bundles must be signed by (<c>fleet-agent --import</c>).
/// </summary>
internal sealed class AgentIdentityStore(string stateDirectory)
{
    public string Directory { get; } = Path.Combine(stateDirectory, "identity");

    public string KeyPath => Path.Combine(Directory, "agent.key");

    public string CertificatePath => Path.Combine(Directory, "agent.crt");

    /// <summary>Offline targets: the hub certificate bundles are verified with (the hub CA, or an --insecure hub's bundle signer).</summary>
    public string CaPath => Path.Combine(Directory, "ca.crt");

    public X509Certificate2? Load()
    {
        if (!File.Exists(KeyPath) || !File.Exists(CertificatePath))
        {
            return null;
        }

        try
        {
            return X509Certificate2.CreateFromPemFile(CertificatePath, KeyPath);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // A torn or mismatched pair: as good as none; enrollment makes a new one.
            return null;
        }
    }

    public void Save(string keyPem, string certificatePem)
    {
        Runtime.OwnerOnlyDirectory.Ensure(Directory);
        AtomicFile.Write(KeyPath, Encoding.UTF8.GetBytes(keyPem), Runtime.OwnerOnlyDirectory.FileMode);
        AtomicFile.Write(CertificatePath, Encoding.UTF8.GetBytes(certificatePem), Runtime.OwnerOnlyDirectory.FileMode);
    }

    /// <summary>An offline target's whole identity: key, certificate, then the hub certificate to trust (written last: its presence means the rest is there).</summary>
    public void Save(string keyPem, string certificatePem, string caCertificatePem)
    {
        Save(keyPem, certificatePem);
        AtomicFile.Write(CaPath, Encoding.UTF8.GetBytes(caCertificatePem), Runtime.OwnerOnlyDirectory.FileMode);
    }
}
