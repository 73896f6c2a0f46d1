using Fleet.Hub.Tests.Integration;
using Fleet.Hub.Tests.Security;
using Fleet.Protocol.Admin.V1;
using Fleet.Protocol.Security.V1;
using Grpc.Core;
using TestCapabilities = Fleet.Hub.Tests.Integration.Capabilities;

namespace Fleet.Hub.Tests.Postgres;

/// <summary>
/// Several hubs on one PostgreSQL database under different <c>--cluster-id</c>s are separate hubs: none
/// sees another's capabilities, tokens or audit log.
/// </summary>
public sealed class PostgresClusterScopeTests(PostgresServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Apply_OnTheHubOfClusterA_IsNotSeenByTheHubOfClusterB()
    {
        var database = await server.CreateDatabaseAsync(Ct);
        await using var a = await FleetHarness.StartAsync(postgres: database, configureOptions: o => o with { ClusterIdFlag = "a" });
        await using var b = await FleetHarness.StartAsync(postgres: database, configureOptions: o => o with { ClusterIdFlag = "b" });

        await a.ApplyAsync(TestCapabilities.Greeter("1"));
        await a.ApplyAsync(TestCapabilities.Greeter("2"));

        Assert.Empty(await b.CapabilitiesAsync());
        var missing = await Assert.ThrowsAsync<RpcException>(() => b.CapabilityAsync("greeter"));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);

        // The same name on b is b's own first revision, and a's stays where it was.
        await b.ApplyAsync(TestCapabilities.Greeter("1"));
        Assert.Equal(1L, (await b.CapabilityAsync("greeter")).Revision);
        Assert.Equal(2L, (await a.CapabilityAsync("greeter")).Revision);
    }

    [Fact]
    public async Task Tokens_OfTheHubOfClusterA_DoNotWorkOnTheHubOfClusterB_AndEachShowsOnlyItsOwnAudit()
    {
        var database = await server.CreateDatabaseAsync(Ct);
        await using var a = await SecureHub.StartAsync(configureOptions: SecureHub.OnPostgres(database, "a"));
        await using var b = await SecureHub.StartAsync(configureOptions: SecureHub.OnPostgres(database, "b"));
        var viewer = await a.Security(a.AdminToken).CreateTokenAsync(new CreateTokenRequest { Role = "viewer", Description = "a's viewer" }, cancellationToken: Ct);
        await a.Admin(a.AdminToken).ApplyAsync(new ApplyRequest { Source = "a.yaml", Yaml = TestCapabilities.Greeter("1"), FirstLine = 1 }, cancellationToken: Ct);

        // Each hub made its own first admin token: there was none in its cluster.
        Assert.NotEqual(a.AdminToken, b.AdminToken);
        foreach (var token in new[] { a.AdminToken, viewer.Token })
        {
            var refused = await Assert.ThrowsAsync<RpcException>(async () =>
                await b.Admin(token).ListCapabilitiesAsync(new ListRequest(), cancellationToken: Ct));
            Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        }

        var onA = (await a.Security(a.AdminToken).ListAuditAsync(new ListAuditRequest(), cancellationToken: Ct)).Items;
        var onB = (await b.Security(b.AdminToken).ListAuditAsync(new ListAuditRequest(), cancellationToken: Ct)).Items;
        Assert.Contains(onA, e => e.Object == "capability/greeter");
        Assert.DoesNotContain(onB, e => e.Object == "capability/greeter" || e.Method.EndsWith("/CreateToken", StringComparison.Ordinal));
        Assert.DoesNotContain((await b.Security(b.AdminToken).ListTokensAsync(new ListTokensRequest(), cancellationToken: Ct)).Items, t => t.Id == viewer.Id);
    }
}
