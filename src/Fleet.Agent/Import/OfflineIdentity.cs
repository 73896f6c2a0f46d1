using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fleet.Agent.Enrollment;
using Fleet.Protocol.Bundles;

namespace Fleet.Agent.Import;

/// <summary>
/// An offline target's identity in its state directory (<see cref="AgentIdentityStore"/>, as <c>fleet target create
/// --offline --state-dir DIR</c> writes it): its key and certificate, which sign its reports, and the hub's
/// <c>ca.crt</c>, the only signer whose desired bundles it applies.
/// </summary>
internal sealed class OfflineIdentity : IDisposable
{
    private OfflineIdentity(X509Certificate2 target, X509Certificate2 signer)
    {
        Target = target;
        Signer = signer;
    }

    /// <summary>The target's certificate with its private key.</summary>
    public X509Certificate2 Target { get; }

    /// <summary>The hub certificate desired bundles are verified with.</summary>
    public X509Certificate2 Signer { get; }

    /// <summary>The identity of target <paramref name="name"/>, or null and why it cannot be used.</summary>
    public static OfflineIdentity? Load(string stateDirectory, string name, out string? problem)
    {
        var store = new AgentIdentityStore(stateDirectory);
        var missing = new[] { store.KeyPath, store.CertificatePath, store.CaPath }.Where(p => !File.Exists(p)).Select(System.IO.Path.GetFileName).ToList();
        if (missing.Count > 0)
        {
            problem = $"{store.Directory} lacks {string.Join(", ", missing)}: this state directory holds no offline target identity; fleet target create {name} --offline --state-dir DIR writes one";
            return null;
        }

        var target = store.Load();
        if (target is null)
        {
            problem = $"{store.KeyPath} and {store.CertificatePath} are not a key and its certificate";
            return null;
        }

        var owner = TargetCertificates.Target(target);
        if (owner != name)
        {
            target.Dispose();
            problem = $"{store.CertificatePath} is the certificate of target '{owner}', not '{name}': use that target's state directory";
            return null;
        }

        try
        {
            problem = null;
            return new OfflineIdentity(target, X509Certificate2.CreateFromPem(File.ReadAllText(store.CaPath)));
        }
        catch (CryptographicException e)
        {
            target.Dispose();
            problem = $"{store.CaPath} is not a PEM certificate ({e.Message})";
            return null;
        }
    }

    public void Dispose()
    {
        Target.Dispose();
        Signer.Dispose();
    }
}
