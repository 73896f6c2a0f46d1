using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Fleet.Agent.Enrollment;

/// <summary>
/// TLS towards the hub, for the agent and the CLI. With a CA file (<c>--ca</c>) only that CA is
/// trusted, not the machine's store: a hub with its own CA is then pinned to it. Without one, the
/// machine's trust store decides (a hub serving a certificate from a public or company CA).
/// The host name is always checked.
/// </summary>
internal static class HubTls
{
    public static X509Certificate2Collection LoadTrust(string path)
    {
        var trust = new X509Certificate2Collection();
        try
        {
            trust.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidDataException($"{path}: cannot read a PEM certificate ({e.Message})", e);
        }

        return trust.Count > 0 ? trust : throw new InvalidDataException($"{path} holds no PEM certificate");
    }

    public static SslClientAuthenticationOptions ClientOptions(X509Certificate2Collection? trust, X509Certificate2? clientCertificate)
    {
        var options = new SslClientAuthenticationOptions();
        if (trust is not null)
        {
            options.RemoteCertificateValidationCallback = (_, certificate, _, errors) => IsTrusted(trust, certificate, errors);
        }

        if (clientCertificate is not null)
        {
            options.ClientCertificates = [clientCertificate];
            // Always offer it: the default selection would skip it unless the server names our CA.
            options.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate;
        }

        return options;
    }

    private static bool IsTrusted(X509Certificate2Collection trust, X509Certificate? presented, SslPolicyErrors errors)
    {
        if (presented is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var certificate = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trust);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1"));
        try
        {
            return chain.Build(certificate);
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
