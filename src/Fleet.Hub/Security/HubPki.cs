using Fleet.Protocol.Security;
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
/// <remarks>
/// With <c>--storage postgres</c> the nodes of a cluster share one CA through the database
/// (<see cref="IClusterCaStore"/>), so an agent enrolled on one node is trusted by every other: the first
/// node to start stores its CA (the one already in its data directory, else a new one, key included),
/// every node loads the stored one, keeps a copy of its certificate as <c>ca.crt</c> and issues its own
/// serving certificate from it. An operator's CA is stored without its key, and a node started with a
/// CA other than the stored one refuses to start naming both fingerprints.
/// </remarks>
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

    /// <param name="clusterCa">Where the cluster's nodes agree on their CA; null for a hub of one node (SQLite).</param>
    public static HubPki LoadOrCreate(HubOptions options, DateTimeOffset now, ILogger logger, IClusterCaStore? clusterCa = null)
    {
        var directory = Path.GetFullPath(options.DataDirectory);
        PkiFiles.CreatePrivateDirectory(directory);
        var ca = clusterCa is null ? LoadOrCreateCa(options, directory, now, logger) : LoadClusterCa(options, directory, clusterCa, now, logger);
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

    private static X509Certificate2 LoadClusterCa(HubOptions options, string directory, IClusterCaStore store, DateTimeOffset now, ILogger logger)
    {
        var publicCopy = Path.Combine(directory, CaCertificateFile);
        if (options.CaCertificate is not null && options.CaKey is not null)
        {
            // The operator's CA: its key stays where the operator keeps it, only its certificate is stored.
            // Checked against the cluster's before ca.crt is written, so a refused node changes nothing.
            string fingerprint;
            string pem;
            using (var supplied = PkiFiles.LoadOperator("--ca-cert", options.CaCertificate, "--ca-key", options.CaKey).Leaf)
            {
                (fingerprint, pem) = (CertificateChains.Fingerprint(supplied), supplied.ExportCertificatePem());
            }

            var stored = Agree(store, new StoredCa(pem, null, fingerprint), now);
            if (stored.Fingerprint != fingerprint)
            {
                throw new HubStartupException(
                    $"--ca-cert {options.CaCertificate} (SHA-256 {fingerprint}) is not the CA of cluster '{options.ClusterId}' in the database (SHA-256 {stored.Fingerprint}); " +
                    "every node of a cluster must use one CA: give this node the cluster's CA, or stop every node and delete the cluster's row of table cluster_ca to change it");
            }

            return LoadOrCreateCa(options, directory, now, logger);
        }

        // The CA already in the data directory (a single node before the cluster shared one) is offered
        // first, so the agents enrolled with it stay trusted; else a new one.
        var keyPath = Path.Combine(directory, CaKeyFile);
        using var local = LoadLocalCa(publicCopy, keyPath);
        using var created = local is null ? CertificateFactory.CreateCa($"fleet-hub CA {now:yyyy-MM-dd}", now, CaLifetime) : null;
        var candidate = local ?? created!;
        using (var candidateKey = candidate.GetECDsaPrivateKey()!)
        {
            var winner = Agree(store, new StoredCa(candidate.ExportCertificatePem(), candidateKey.ExportPkcs8PrivateKeyPem(), CertificateChains.Fingerprint(candidate)), now);
            if (winner.KeyPem is null)
            {
                throw new HubStartupException(
                    $"cluster '{options.ClusterId}' uses the operator's CA (SHA-256 {winner.Fingerprint}); start this node with --ca-cert and --ca-key as well");
            }

            var ca = X509Certificate2.CreateFromPem(winner.CertificatePem, winner.KeyPem);
            if (local is not null && winner.Fingerprint != CertificateChains.Fingerprint(local))
            {
                // Its certificate is replaced below; the key alone would not load with the cluster's certificate.
                File.Delete(keyPath);
                LogReplacedLocalCa(logger, publicCopy, CertificateChains.Fingerprint(local), options.ClusterId, winner.Fingerprint);
            }
            else if (created is not null && winner.Fingerprint == CertificateChains.Fingerprint(created))
            {
                LogCreatedClusterCa(logger, options.ClusterId, winner.Fingerprint);
            }

            // Clients trust data-dir/ca.crt: it is the cluster's CA on every node. Its key is not copied here.
            if (!File.Exists(publicCopy) || File.ReadAllText(publicCopy) != winner.CertificatePem)
            {
                PkiFiles.WritePublic(publicCopy, winner.CertificatePem);
            }

            return ca;
        }
    }

    private static X509Certificate2? LoadLocalCa(string certificatePath, string keyPath)
    {
        if (!File.Exists(certificatePath) || !File.Exists(keyPath))
        {
            return null;
        }

        PkiFiles.RestrictOwn(keyPath);
        return X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
    }

    // Start-up only, before the hub serves: HubPki is built synchronously where Kestrel asks for it.
    private static StoredCa Agree(IClusterCaStore store, StoredCa candidate, DateTimeOffset now) =>
        store.GetOrAddAsync(candidate, now).GetAwaiter().GetResult();

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the CA of cluster '{ClusterId}' (SHA-256 {Fingerprint}) and stored it in the database for every node of the cluster")]
    private static partial void LogCreatedClusterCa(ILogger logger, string clusterId, string fingerprint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The CA of this data directory ({Path}, SHA-256 {Local}) is not the one of cluster '{ClusterId}' (SHA-256 {Cluster}); issuing from the cluster's (the old ca.key is deleted), so agents enrolled with the old one must enroll again")]
    private static partial void LogReplacedLocalCa(ILogger logger, string path, string local, string clusterId, string cluster);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the serving certificate for {Names}")]
    private static partial void LogCreatedServing(ILogger logger, string names);

    [LoggerMessage(Level = LogLevel.Information, Message = "Issuing agent certificates from the operator's CA {Path} ({Subject})")]
    private static partial void LogOperatorCa(ILogger logger, string path, string subject);

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving with the operator's certificate {Path}, valid until {NotAfter:u}")]
    private static partial void LogOperatorServing(ILogger logger, string path, DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} was readable by other users; its mode is now 0600")]
    private static partial void LogTightened(ILogger logger, string path);
}
