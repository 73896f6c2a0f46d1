using System.Globalization;
using System.Net;
using Fleet.Agent.Enrollment;
using Fleet.Hub.Tests.Postgres;
using Fleet.Hub.Tests.Storage;
using Fleet.Protocol.Security.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Fleet.Hub.Tests.Hosting.Health;

/// <summary>
/// The built fleet-hub, secure (TLS, tokens) on a private PostgreSQL with <c>--health-url</c>: the probes as a kubelet
/// sees them, and an operator's call while PostgreSQL is down, which fails already where the caller's token is looked up.
/// </summary>
public sealed class HealthProcessTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FleetHub_SecureOnPostgresWithHealthUrl_ReadinessAndTokenCallsFollowAnOutage()
    {
        await using var server = new PostgresServer();
        var database = await server.CreateDatabaseAsync(Ct);
        var data = Path.Combine(_directory.Path, "hub");
        var ports = FreePorts.Take(4);
        var url = new Uri($"https://127.0.0.1:{ports[0].ToString(CultureInfo.InvariantCulture)}");
        var healthUrl = $"http://127.0.0.1:{ports[3].ToString(CultureInfo.InvariantCulture)}";
        await using var hub = HubProcess.Start([
            "--data-dir", data, "--urls", url.ToString().TrimEnd('/'),
            "--silo-port", ports[1].ToString(CultureInfo.InvariantCulture), "--gateway-port", ports[2].ToString(CultureInfo.InvariantCulture),
            "--storage", "postgres", "--postgres", database, "--health-url", healthUrl,
        ]);
        await hub.WaitServingAsync(url, Path.Combine(data, "ca.crt"), Path.Combine(data, "admin.token"));
        using var health = new HealthListener(healthUrl);
        using var channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { SslOptions = HubTls.ClientOptions(HubTls.LoadTrust(Path.Combine(data, "ca.crt")), null) },
            DisposeHttpClient = true,
        });
        var security = new FleetSecurity.FleetSecurityClient(channel);
        var admin = new Metadata { { "authorization", $"Bearer {(await File.ReadAllTextAsync(Path.Combine(data, "admin.token"), Ct)).Trim()}" } };
        Assert.Equal((HttpStatusCode.OK, "ok\n"), await health.GetAsync("/healthz"));
        Assert.Equal((HttpStatusCode.OK, "ready\n"), await health.GetAsync("/readyz"));

        await server.StopAsync();

        await Eventually.Holds(async () => (await health.GetAsync("/readyz")).Status == HttpStatusCode.ServiceUnavailable, "/readyz 503", diagnostics: () => hub.Output);
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await security.ListTokensAsync(new ListTokensRequest(), admin, cancellationToken: Ct));
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.StartsWith("storage unavailable: ", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.OK, "ok\n"), await health.GetAsync("/healthz"));

        await server.StartAgainAsync();

        await Eventually.Holds(async () => await health.GetAsync("/readyz") == (HttpStatusCode.OK, "ready\n"), "/readyz 200 again", diagnostics: () => hub.Output);
        Assert.NotEmpty((await security.ListTokensAsync(new ListTokensRequest(), admin, cancellationToken: Ct)).Items);
        // The hub's own handling of the outage logs no stack trace. Orleans' membership, whose table is in the
        // same database, does warn with the exception while it cannot write its I-am-alive row: that is its log.
        Assert.DoesNotContain(LogEntries(hub.Output), e => !e.Category.StartsWith("Orleans.", StringComparison.Ordinal) && e.Text.Contains("Exception", StringComparison.Ordinal));
    }

    /// <summary>The console logger's entries: a "warn: Category[id]" line and the indented lines under it.</summary>
    private static List<(string Category, string Text)> LogEntries(string output)
    {
        var entries = new List<(string Category, string Text)>();
        foreach (var line in output.Split('\n'))
        {
            var header = System.Text.RegularExpressions.Regex.Match(line, @"^(trce|dbug|info|warn|fail|crit): ([^\[]+)\[");
            if (header.Success)
            {
                entries.Add((header.Groups[2].Value, line));
            }
            else if (entries.Count > 0)
            {
                entries[^1] = (entries[^1].Category, entries[^1].Text + "\n" + line);
            }
            else
            {
                entries.Add(("", line));
            }
        }

        return entries;
    }

    public void Dispose() => _directory.Dispose();
}
