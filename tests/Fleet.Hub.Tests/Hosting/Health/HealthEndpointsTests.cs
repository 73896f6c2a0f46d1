using System.Net;
using Fleet.Hub.Tests.Integration;

namespace Fleet.Hub.Tests.Hosting.Health;

/// <summary>The <c>--health-url</c> listener of a hub on SQLite: what it serves, and that it serves nothing else.</summary>
public sealed class HealthEndpointsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Healthz_HubServing_Returns200Ok()
    {
        var url = HealthListener.FreeUrl();
        await using var fleet = await FleetHarness.StartAsync(configureOptions: o => o with { HealthUrl = url });
        using var health = new HealthListener(url);

        Assert.Equal((HttpStatusCode.OK, "ok\n"), await health.GetAsync("/healthz"));
    }

    [Fact]
    public async Task Readyz_SqliteHubStarted_Returns200Ready()
    {
        var url = HealthListener.FreeUrl();
        await using var fleet = await FleetHarness.StartAsync(configureOptions: o => o with { HealthUrl = url });
        using var health = new HealthListener(url);

        using var response = await health.RawAsync(HttpMethod.Get, "/readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ready\n", await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(new Version(1, 1), response.Version);
    }

    [Fact]
    public async Task Head_ReadyzAndHealthz_Return200WithoutBody()
    {
        var url = HealthListener.FreeUrl();
        await using var fleet = await FleetHarness.StartAsync(configureOptions: o => o with { HealthUrl = url });
        using var health = new HealthListener(url);

        foreach (var path in new[] { "/healthz", "/readyz" })
        {
            Assert.Equal((HttpStatusCode.OK, ""), await health.SendAsync(HttpMethod.Head, path));
        }
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/metrics")]
    [InlineData("/healthz/")]
    [InlineData("/readyz/storage")]
    [InlineData("/fleet.admin.v1.FleetAdmin/ListTargets")]
    public async Task Get_UnknownPath_Returns404(string path)
    {
        var url = HealthListener.FreeUrl();
        await using var fleet = await FleetHarness.StartAsync(configureOptions: o => o with { HealthUrl = url });
        using var health = new HealthListener(url);

        var (status, _) = await health.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task Post_Readyz_Returns405AndAllowsGetAndHead()
    {
        var url = HealthListener.FreeUrl();
        await using var fleet = await FleetHarness.StartAsync(configureOptions: o => o with { HealthUrl = url });
        using var health = new HealthListener(url);

        using var response = await health.RawAsync(HttpMethod.Post, "/readyz");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Healthz_OnTheGrpcEndpoint_IsNotServed()
    {
        var url = HealthListener.FreeUrl();
        await using var fleet = await FleetHarness.StartAsync(configureOptions: o => o with { HealthUrl = url });
        // HTTP/2 with prior knowledge, as the gRPC endpoint speaks it: the probes are on their own listener only.
        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var response = await http.GetAsync(new Uri(fleet.HubUrl, "/healthz"), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
