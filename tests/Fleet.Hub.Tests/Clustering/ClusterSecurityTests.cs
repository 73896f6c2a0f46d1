using Fleet.Hub.Tests.Postgres;
using Fleet.Protocol.Admin.V1;
using Fleet.Protocol.Security.V1;
using Grpc.Core;

namespace Fleet.Hub.Tests.Clustering;

/// <summary>A secure hub of two nodes: one CA, one security store, and a revocation that reaches every node.</summary>
public sealed class ClusterSecurityTests(PostgresServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RevokeTargetOnOneNode_EndsItsStreamOnTheOther_AndNeitherNodeTakesItBack()
    {
        var database = await server.CreateDatabaseAsync(Ct);
        await using var cluster = new HubCluster(database, secure: true).WithNodeAddresses(2);
        var first = cluster.StartNode(0);
        await cluster.WaitServingAsync(first);
        var second = cluster.StartNode(1);
        await cluster.WaitServingAsync(second);
        Assert.Equal(await File.ReadAllTextAsync(first.Ca, Ct), await File.ReadAllTextAsync(second.Ca, Ct));

        // Enrolled through the second node (listed first), revoked through the first.
        var token = await first.Security.CreateTokenAsync(new CreateTokenRequest { Role = "agent", Description = "edge-1", Target = "edge-1" }, cancellationToken: Ct);
        var tokenFile = Path.Combine(cluster.Dir, "edge-1.token");
        await File.WriteAllTextAsync(tokenFile, token.Token, Ct);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        cluster.StartAgent("edge-1", 1, ["env=edge"], "--ca", second.Ca, "--token-file", tokenFile);
        await Eventually.Holds(
            async () => (await cluster.TargetsAsync(first)).Any(t => t.Name == "edge-1" && t.Connected),
            "edge-1 connected (as the first node sees it)",
            TimeSpan.FromMinutes(1),
            cluster.Logs);

        var revoked = await first.Security.RevokeTargetAsync(new RevokeTargetRequest { Name = "edge-1" }, cancellationToken: Ct);
        Assert.True(revoked.Certificates >= 1, "the agent's certificate was revoked");

        await Eventually.Holds(
            async () =>
            {
                foreach (var node in cluster.Living)
                {
                    if ((await cluster.TargetsAsync(node)).Any(t => t.Name == "edge-1" && t.Connected))
                    {
                        return false;
                    }
                }

                return File.ReadAllText(Path.Combine(cluster.Dir, "agent-edge-1.log")).Contains("revoked", StringComparison.Ordinal);
            },
            "edge-1 cut off on the node that held its stream, and told why",
            TimeSpan.FromSeconds(30),
            cluster.Logs);

        // The agent keeps trying its certificate on both nodes; neither lets it back.
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);
        foreach (var node in cluster.Living)
        {
            Assert.DoesNotContain(await cluster.TargetsAsync(node), t => t.Name == "edge-1" && t.Connected);
        }

        var audit = await second.Security.ListAuditAsync(new ListAuditRequest(), cancellationToken: Ct);
        Assert.Contains(audit.Items, e => e.Method.EndsWith("RevokeTarget", StringComparison.Ordinal) && e.Object.Contains("edge-1", StringComparison.Ordinal));

        // One wrong flag must not open the secure cluster: an --insecure node on it is refused before it joins.
        var ports = LoopbackPorts.Take(3);
        var (exit, _, stderr) = await Hosting.HubProcess.RunAsync(
            "--insecure", "--urls", $"http://127.0.0.1:{ports[0]}", "--data-dir", Path.Combine(cluster.Dir, "intruder"),
            "--storage", "postgres", "--postgres", database, "--silo-port", ports[1].ToString(), "--gateway-port", ports[2].ToString());
        Assert.Equal(2, exit);
        Assert.Contains("cluster 'fleet' is secure", stderr, StringComparison.Ordinal);
        await using var connection = new Npgsql.NpgsqlConnection(database);
        await connection.OpenAsync(Ct);
        await using var members = new Npgsql.NpgsqlCommand("SELECT count(*) FROM membership WHERE cluster_id = 'fleet' AND status = 3;", connection);
        Assert.Equal(2L, await members.ExecuteScalarAsync(Ct));
    }
}
