using Fleet.Protocol.Security;
using System.Security.Cryptography.X509Certificates;
using Fleet.Hub.Hosting;
using Fleet.Hub.Security;
using Fleet.Hub.Tests.Security;
using Fleet.Hub.Tests.Storage;
using Fleet.Protocol.Admin.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fleet.Hub.Tests.Postgres;

/// <summary>
/// The nodes of one cluster on PostgreSQL share one CA through the database, so an agent enrolled on one
/// node is trusted by the others; a node with another CA than the cluster's refuses to start.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PostgresClusterCaTests(PostgresServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoSecureNodesOfOneCluster_HaveTheSameCa_AndAnAgentEnrolledOnOneIsAcceptedByTheOther()
    {
        var database = await server.CreateDatabaseAsync(Ct);
        await using var a = await SecureHub.StartAsync(configureOptions: SecureHub.OnPostgres(database));
        await using var b = await SecureHub.StartAsync(configureOptions: SecureHub.OnPostgres(database));

        Assert.Equal(await File.ReadAllTextAsync(a.CaPath, Ct), await File.ReadAllTextAsync(b.CaPath, Ct));
        // The key lives in the database only; a node that did not have one does not get a copy.
        Assert.False(File.Exists(Path.Combine(b.DataDirectory, HubPki.CaKeyFile)));

        // The cluster has one admin token (a's); b made none.
        var admin = a.AdminToken;
        var token = await a.CreateTokenAsync("agent", "web-1");
        var options = a.AgentOptions("web-1", token, "env=dev");
        await using (var enrolled = a.StartAgent(options))
        {
            await a.WaitForConnectedAsync("web-1");
        }

        // The same agent, with the certificate a issued and no token, trusting a's ca.crt, on b.
        b.StartAgent(options with { Hubs = [b.Url], Token = null });
        await Eventually.Holds(
            async () => (await b.Admin(admin).ListTargetsAsync(new ListRequest(), cancellationToken: Ct)).Items.Any(t => t.Name == "web-1" && t.Connected),
            "web-1 connected to node b with the certificate node a issued");
    }

    [Fact]
    public async Task ConcurrentFirstStarts_OfOneCluster_AllLoadTheSameCa()
    {
        var database = await server.CreateDatabaseAsync(Ct);
        using var directory = new TempDirectory();
        var stores = Enumerable.Range(0, 4).Select(_ => new Fleet.Hub.Storage.PostgresDatabase(database)).ToList();
        try
        {
            var starts = stores.Select((store, i) => Task.Run(() => HubPki.LoadOrCreate(
                new HubOptions { DataDirectory = Path.Combine(directory.Path, $"node-{i}"), Storage = HubOptions.PostgresStorage, PostgresConnectionString = database },
                DateTimeOffset.UtcNow, NullLogger.Instance, new PostgresSecurityStore(store)), Ct)).ToList();
            var nodes = await Task.WhenAll(starts);

            Assert.Single(nodes.Select(n => CertificateChains.Fingerprint(n.Ca)).Distinct());
            Assert.All(nodes, n => Assert.True(CertificateChains.IsIssuedBy(n.ServingCertificate, nodes[0].Ca, DateTimeOffset.UtcNow, CertificateChains.ServerAuthentication)));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task OperatorCa_OtherThanTheClustersStoredOne_RefusesToStart_NamingBothFingerprints()
    {
        var database = await server.CreateDatabaseAsync(Ct);
        await using var generated = new Fleet.Hub.Storage.PostgresDatabase(database);
        using var directory = new TempDirectory();
        var first = HubPki.LoadOrCreate(Options(directory, "first"), DateTimeOffset.UtcNow, NullLogger.Instance, new PostgresSecurityStore(generated));
        var (caCert, caKey) = WriteOperatorCa(directory.Path);

        var refused = Assert.Throws<HubStartupException>(() => HubPki.LoadOrCreate(
            Options(directory, "second") with { CaCertificate = caCert, CaKey = caKey }, DateTimeOffset.UtcNow, NullLogger.Instance, new PostgresSecurityStore(generated)));

        using var operatorCa = X509Certificate2.CreateFromPem(File.ReadAllText(caCert));
        Assert.Contains(CertificateChains.Fingerprint(first.Ca), refused.Message, StringComparison.Ordinal);
        Assert.Contains(CertificateChains.Fingerprint(operatorCa), refused.Message, StringComparison.Ordinal);
        Assert.Contains("cluster 'fleet'", refused.Message, StringComparison.Ordinal);
        // Refused before it wrote anything: clients of that node are not pointed at a CA the cluster does not use.
        Assert.False(File.Exists(Path.Combine(directory.Path, "second", HubPki.CaCertificateFile)));
    }

    [Fact]
    public async Task NodeWithoutACa_OnAClusterOfTheOperatorsCa_RefusesToStart_AndTheKeyIsNeverStored()
    {
        var database = await server.CreateDatabaseAsync(Ct);
        await using var store = new Fleet.Hub.Storage.PostgresDatabase(database, "ops");
        using var directory = new TempDirectory();
        var (caCert, caKey) = WriteOperatorCa(directory.Path);
        HubPki.LoadOrCreate(Options(directory, "first", "ops") with { CaCertificate = caCert, CaKey = caKey }, DateTimeOffset.UtcNow, NullLogger.Instance, new PostgresSecurityStore(store));

        var refused = Assert.Throws<HubStartupException>(() => HubPki.LoadOrCreate(
            Options(directory, "second", "ops"), DateTimeOffset.UtcNow, NullLogger.Instance, new PostgresSecurityStore(store)));

        Assert.Contains("cluster 'ops' uses the operator's CA", refused.Message, StringComparison.Ordinal);
        await using var connection = await store.OpenAsync(Ct);
        await using var key = new Npgsql.NpgsqlCommand("SELECT COUNT(*) FROM cluster_ca WHERE private_key IS NOT NULL;", connection);
        Assert.Equal(0L, (long)(await key.ExecuteScalarAsync(Ct))!);
    }

    private static HubOptions Options(TempDirectory directory, string node, string? clusterId = null) => new()
    {
        DataDirectory = Path.Combine(directory.Path, node),
        Storage = HubOptions.PostgresStorage,
        PostgresConnectionString = "unused: the store is given",
        ClusterIdFlag = clusterId,
    };

    /// <summary>An operator's CA as files, the key owner-only as the hub demands.</summary>
    private static (string Certificate, string Key) WriteOperatorCa(string directory)
    {
        using var ca = CertificateFactory.CreateCa("operator CA", DateTimeOffset.UtcNow, TimeSpan.FromDays(30));
        using var key = ca.GetECDsaPrivateKey()!;
        var certificate = Path.Combine(directory, "operator-ca.crt");
        var keyPath = Path.Combine(directory, "operator-ca.key");
        File.WriteAllText(certificate, ca.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return (certificate, keyPath);
    }
}
