using Fleet.Hub.Tests.Integration;
using Fleet.Protocol.Admin.V1;
using Fleet.Protocol.Agent.V1;
using Fleet.Protocol.Security.V1;
using Grpc.Core;

namespace Fleet.Hub.Tests.Security;

/// <summary>
/// Labels fixed at enrollment, on a secure hub over real mTLS: the hub places a target by the labels its
/// token enrolled, not by what the holder of its certificate says in a hello.
/// </summary>
public sealed class EnrolledLabelsTests(SecureHubFixture fixture) : IClassFixture<SecureHubFixture>
{
    private SecureHub Hub => fixture.Hub;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Agent_EnrolledWithFixedLabels_ClaimingAFakeLabel_IsRefusedAndAudited_AndPlacedOnlyByItsEnrolledLabel()
    {
        var operatorToken = await Hub.CreateTokenAsync("operator");
        await Apply(operatorToken, "fixed-real", "env: enrolled-env", "etc/real.txt");
        await Apply(operatorToken, "fixed-fake", "env: secret-env", "etc/fake.txt");
        var token = await CreateAgentTokenAsync(new() { ["env"] = "enrolled-env", ["region"] = "eu" });

        // The agent enrolls with the token, then claims the label of the capability it should not get.
        var liar = Hub.StartAgent(Hub.AgentOptions("fixed-1", token, "env=secret-env", "region=eu"));
        await Eventually.Holds(async () => (await Denials("fixed-1")).Count > 0, "the refused hello audited");
        var denied = await Denials("fixed-1");
        await liar.DisposeAsync();

        Assert.Contains("env=secret-env", denied[0].Detail);
        Assert.Equal(("target:fixed-1", "denied"), (denied[0].Who, denied[0].Outcome));
        Assert.False(await Hub.IsConnectedAsync("fixed-1"));
        Assert.Null(Hub.ReadTargetFile("fixed-1", "etc/fake.txt"));

        // The same agent, its certificate alone, without the fake label: placed by its enrolled labels only.
        Hub.StartAgent(Hub.AgentOptions("fixed-1", token: null));
        await Eventually.Holds(() => Hub.ReadTargetFile("fixed-1", "etc/real.txt") == "fixed-1 eu", "the enrolled-label capability on the target");
        var target = await Hub.Admin(operatorToken).GetTargetAsync(new GetRequest { Name = "fixed-1" }, cancellationToken: Cancel);
        Assert.Equal(new Dictionary<string, string> { ["env"] = "enrolled-env", ["region"] = "eu" }, target.Labels.OrderBy(l => l.Key).ToDictionary());
        Assert.DoesNotContain("fixed-fake", target.Capabilities.Keys);
        Assert.Null(Hub.ReadTargetFile("fixed-1", "etc/fake.txt"));
    }

    [Fact]
    public async Task Hello_WithAnAllowedKey_IsAccepted_AndAKeyNotAllowed_IsRefusedWithTheReason()
    {
        var token = await CreateAgentTokenAsync(new() { ["env"] = "allow-env" }, allowedKeys: ["region"]);
        using var certificate = await TestCertificates.EnrollAsync(Hub.Channel(), token, "allow-1");
        var gateway = new AgentGateway.AgentGatewayClient(Hub.Channel(clientCertificate: certificate));

        var refused = await FirstAnswer(gateway, "allow-1", "files", new() { ["region"] = "us", ["tier"] = "gold" });
        var accepted = await FirstAnswer(gateway, "allow-1", "files", new() { ["region"] = "us", ["env"] = "allow-env" });

        Assert.Equal(HubMessage.BodyOneofCase.Rejected, refused.BodyCase);
        Assert.Contains("may not set tier=gold", refused.Rejected.Reason);
        Assert.Equal(HubMessage.BodyOneofCase.Desired, accepted.BodyCase);
        var target = await Hub.Admin(Hub.AdminToken).GetTargetAsync(new GetRequest { Name = "allow-1" }, cancellationToken: Cancel);
        Assert.Equal(new Dictionary<string, string> { ["env"] = "allow-env", ["region"] = "us" }, target.Labels.OrderBy(l => l.Key).ToDictionary());
    }

    [Fact]
    public async Task Hello_WithAnotherDriverThanEnrolled_IsRefused()
    {
        var token = await CreateAgentTokenAsync([], driver: "exec");
        using var certificate = await TestCertificates.EnrollAsync(Hub.Channel(), token, "driver-1");
        var gateway = new AgentGateway.AgentGatewayClient(Hub.Channel(clientCertificate: certificate));

        var refused = await FirstAnswer(gateway, "driver-1", "files", []);
        var accepted = await FirstAnswer(gateway, "driver-1", "exec", new() { ["any"] = "label" });

        Assert.Contains("enrolled with driver exec", refused.Rejected.Reason);
        Assert.Equal(HubMessage.BodyOneofCase.Desired, accepted.BodyCase);
    }

    [Theory]
    [InlineData("viewer", "env", "dev", "", "do not apply to role viewer")]
    [InlineData("agent", "Bad Key", "x", "", "not a valid Kubernetes label key")]
    [InlineData("agent", "env", "not ok!", "", "not a valid Kubernetes label value")]
    [InlineData("agent", "env", "dev", "env", "both fixed")]
    public async Task CreateToken_WithBadEnrollment_IsInvalidArgument(string role, string key, string value, string allowedKey, string expected)
    {
        var request = new CreateTokenRequest { Role = role, Labels = { [key] = value } };
        if (allowedKey.Length > 0)
        {
            request.AllowedLabelKeys.Add(allowedKey);
        }

        var error = await Assert.ThrowsAsync<RpcException>(async () => await Hub.Security(Hub.AdminToken).CreateTokenAsync(request, cancellationToken: Cancel));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(expected, error.Status.Detail);
    }

    private async Task<string> CreateAgentTokenAsync(Dictionary<string, string> labels, string[]? allowedKeys = null, string driver = "")
    {
        var request = new CreateTokenRequest { Role = "agent", Labels = { labels }, Driver = driver };
        request.AllowedLabelKeys.Add(allowedKeys ?? []);
        return (await Hub.Security(Hub.AdminToken).CreateTokenAsync(request, cancellationToken: Cancel)).Token;
    }

    private async Task Apply(string token, string name, string selector, string path)
    {
        var yaml = Fleet.Hub.Tests.Integration.Capabilities.Greeter("1", selector)
            .Replace("name: greeter", $"name: {name}")
            .Replace("etc/greeter/hello.txt", path)
            .Replace("hello ${target.name} in ${target.labels.region} v1", "${target.name} ${target.labels.region}");
        var response = await Hub.Admin(token).ApplyAsync(new ApplyRequest { Source = $"{name}.yaml", Yaml = yaml, FirstLine = 1 }, cancellationToken: Cancel);
        Assert.Empty(response.Errors);
    }

    private async Task<List<AuditEntry>> Denials(string target) =>
        [.. (await Hub.Security(Hub.AdminToken).ListAuditAsync(new ListAuditRequest(), cancellationToken: Cancel)).Items
            .Where(e => e.Object == $"target/{target}" && e.Method == "fleet.agent.v1.AgentGateway/Connect")];

    private static async Task<HubMessage> FirstAnswer(AgentGateway.AgentGatewayClient gateway, string name, string driver, Dictionary<string, string> labels)
    {
        using var call = gateway.Connect(cancellationToken: Cancel);
        await call.RequestStream.WriteAsync(new AgentMessage { Hello = new Hello { Name = name, Driver = driver, Labels = { labels } } }, Cancel);
        Assert.True(await call.ResponseStream.MoveNext(Cancel));
        var answer = call.ResponseStream.Current;
        await call.RequestStream.CompleteAsync();
        return answer;
    }
}
