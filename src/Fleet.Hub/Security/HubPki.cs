using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fleet.Hub.Hosting;

namespace Fleet.Hub.Security;

/// <summary>
/// The hub's certificates. At first start it creates a private CA and a serving certificate in the
/// data directory; <c>ca.crt</c> there is what agents and the CLI trust. An operator may supply the
/// CA (<c>--ca-cert/--ca-key</c>, then the hub issues from it) and/or the serving certificate
/// (<c>--tls-cert/--tls-key</c>, e.g. from a company CA). Agent certificates always come from the CA.
/// </summary>
internal sealed partial class HubPki
{
    public const string CaCertificateFile = "ca.crt";
    public const string CaKeyFile = "ca.key";
    public const string ServingCertificateFile = "server.crt";
    public const string ServingKeyFile = "server.key";

    /// <summary>The serving certificate is renewed at start when it has less than this left.</summary>
    public static readonly TimeSpan ServingRenewBefore = TimeSpan.FromDays(30);

    private static readonly TimeSpan CaLifetime = TimeSpan.FromDays(3650);
    private static readonly TimeSpan ServingLifetime = TimeSpan.FromDays(397);

    private HubPki(X509Certificate2 ca, X509Certificate2 serving, X509Certificate2Collection servingChain)
    {
        Ca = ca;
        ServingCertificate = serving;
        ServingChain = servingChain;
        CaPem = ca.ExportCertificatePem();
    }

    /// <summary>The CA, with its private key: it signs agent certificates.</summary>
    public X509Certificate2 Ca { get; }

    public string CaPem { get; }

    public X509Certificate2 ServingCertificate { get; }

    /// <summary>Intermediates sent with the serving certificate (an operator's chain file), possibly none.</summary>
    public X509Certificate2Collection ServingChain { get; }

    public static HubPki LoadOrCreate(HubOptions options, DateTimeOffset now, ILogger logger)
    {
        var directory = Path.GetFullPath(options.DataDirectory);
        PkiFiles.CreatePrivateDirectory(directory);
        var ca = LoadOrCreateCa(options, directory, now, logger);
        if (options.TlsCertificate is not null && options.TlsKey is not null)
        {
            var (leaf, intermediates) = PkiFiles.LoadOperator("--tls-cert", options.TlsCertificate, "--tls-key", options.TlsKey);
            LogOperatorServing(logger, options.TlsCertificate, leaf.NotAfter);
            return new HubPki(ca, leaf, intermediates);
        }

        return new HubPki(ca, LoadOrCreateServing(options, directory, ca, now, logger), []);
    }

    /// <summary>
    /// Reads the operator's certificates and keys once before the host starts, so that a wrong file is
    /// one clear error rather than a failure inside Kestrel.
    /// </summary>
    public static void CheckOperatorFiles(HubOptions options)
    {
        if (options.TlsCertificate is not null && options.TlsKey is not null)
        {
            PkiFiles.LoadOperator("--tls-cert", options.TlsCertificate, "--tls-key", options.TlsKey).Leaf.Dispose();
        }

        if (options.CaCertificate is not null && options.CaKey is not null)
        {
            PkiFiles.LoadOperator("--ca-cert", options.CaCertificate, "--ca-key", options.CaKey).Leaf.Dispose();
        }
    }

    /// <summary>Signs an agent's public key for its target; the serial is how revocation finds it again.</summary>
    public (X509Certificate2 Certificate, string Serial) IssueClient(PublicKey agentKey, string target, DateTimeOffset now, TimeSpan lifetime)
    {
        var certificate = CertificateFactory.SignClient(Ca, agentKey, target, CertificateFactory.NewSerial(), now - CertificateFactory.ClockSkew, now + lifetime);
        return (certificate, CertificateChains.Serial(certificate));
    }

    /// <summary>The DNS names and addresses the serving certificate must cover: loopback, --host names, and the hosts of --urls.</summary>
    public static (IReadOnlyList<string> Dns, IReadOnlyList<IPAddress> Addresses) WantedNames(HubOptions options)
    {
        var dns = new SortedSet<string>(StringComparer.OrdinalIgnoreCase) { "localhost" };
        var addresses = new List<IPAddress> { IPAddress.Loopback, IPAddress.IPv6Loopback };
        var hosts = options.Hosts.Concat(options.EffectiveUrls.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host : "")
            .Where(host => host.Length > 0));
        foreach (var host in hosts)
        {
            if (IPAddress.TryParse(host.Trim('[', ']'), out var address))
            {
                if (!address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any) && !addresses.Contains(address))
                {
                    addresses.Add(address);
                }
            }
            else if (host is not ("*" or "+"))
            {
                dns.Add(host);
            }
        }

        return (dns.ToList(), addresses);
    }

    private static X509Certificate2 LoadOrCreateCa(HubOptions options, string directory, DateTimeOffset now, ILogger logger)
    {
        var publicCopy = Path.Combine(directory, CaCertificateFile);
        if (options.CaCertificate is not null && options.CaKey is not null)
        {
            var (supplied, _) = PkiFiles.LoadOperator("--ca-cert", options.CaCertificate, "--ca-key", options.CaKey);
            // Clients trust data-dir/ca.crt whichever CA it is: keep the public copy in step.
            var pem = supplied.ExportCertificatePem();
            if (!File.Exists(publicCopy) || File.ReadAllText(publicCopy) != pem)
            {
                PkiFiles.WritePublic(publicCopy, pem);
            }

            LogOperatorCa(logger, options.CaCertificate, supplied.Subject);
            return supplied;
        }

        var keyPath = Path.Combine(directory, CaKeyFile);
        if (File.Exists(publicCopy) && File.Exists(keyPath))
        {
            if (PkiFiles.RestrictOwn(keyPath))
            {
                LogTightened(logger, keyPath);
            }

            return X509Certificate2.CreateFromPemFile(publicCopy, keyPath);
        }

        using var created = CertificateFactory.CreateCa($"fleet-hub CA {now:yyyy-MM-dd}", now, CaLifetime);
        using var key = created.GetECDsaPrivateKey()!;
        // Key first: a crash between the two leaves no certificate without its key.
        PkiFiles.WriteSecret(keyPath, key.ExportPkcs8PrivateKeyPem());
        PkiFiles.WritePublic(publicCopy, created.ExportCertificatePem());
        LogCreatedCa(logger, publicCopy);
        return X509Certificate2.CreateFromPemFile(publicCopy, keyPath);
    }

    private static X509Certificate2 LoadOrCreateServing(HubOptions options, string directory, X509Certificate2 ca, DateTimeOffset now, ILogger logger)
    {
        var certificatePath = Path.Combine(directory, ServingCertificateFile);
        var keyPath = Path.Combine(directory, ServingKeyFile);
        var (dns, addresses) = WantedNames(options);
        if (File.Exists(certificatePath) && File.Exists(keyPath))
        {
            if (PkiFiles.RestrictOwn(keyPath))
            {
                LogTightened(logger, keyPath);
            }

            var existing = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            if (Covers(existing, dns, addresses)
                && CertificateChains.IsIssuedBy(existing, ca, now + ServingRenewBefore, CertificateChains.ServerAuthentication))
            {
                return existing;
            }

            existing.Dispose();
        }

        using var created = CertificateFactory.CreateServing(ca, dns, addresses, now, ServingLifetime);
        using var key = created.GetECDsaPrivateKey()!;
        PkiFiles.WriteSecret(keyPath, key.ExportPkcs8PrivateKeyPem());
        PkiFiles.WritePublic(certificatePath, created.ExportCertificatePem());
        LogCreatedServing(logger, string.Join(", ", dns.Concat(addresses.Select(a => a.ToString()))));
        return X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
    }

    private static bool Covers(X509Certificate2 certificate, IReadOnlyList<string> dns, IReadOnlyList<IPAddress> addresses)
    {
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (names is null)
        {
            return false;
        }

        var haveDns = names.EnumerateDnsNames().ToHashSet(StringComparer.OrdinalIgnoreCase);
        var haveAddresses = names.EnumerateIPAddresses().ToHashSet();
        return dns.All(haveDns.Contains) && addresses.All(haveAddresses.Contains);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the hub CA; clients trust {Path}")]
    private static partial void LogCreatedCa(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the serving certificate for {Names}")]
    private static partial void LogCreatedServing(ILogger logger, string names);

    [LoggerMessage(Level = LogLevel.Information, Message = "Issuing agent certificates from the operator's CA {Path} ({Subject})")]
    private static partial void LogOperatorCa(ILogger logger, string path, string subject);

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving with the operator's certificate {Path}, valid until {NotAfter:u}")]
    private static partial void LogOperatorServing(ILogger logger, string path, DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} was readable by other users; its mode is now 0600")]
    private static partial void LogTightened(ILogger logger, string path);
}
