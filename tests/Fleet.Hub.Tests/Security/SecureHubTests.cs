using System.Security.Cryptography;
using Fleet.Hub.Tests.Integration;
using Fleet.Protocol.Admin.V1;
using Fleet.Protocol.Agent.V1;
using Fleet.Protocol.Security.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Fleet.Hub.Tests.Security;

/// <summary>
/// A hub without --insecure, over real TLS on loopback: who may call what, how agents enroll and are
/// held to their certificate, and that what an operator applies reaches agents over mTLS and is audited.
/// </summary>
public sealed class SecureHubTests(SecureHubFixture fixture) : IClassFixture<SecureHubFixture>
{
    private SecureHub Hub => fixture.Hub;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Plaintext_ToTheSecureHub_IsRefused()
    {
        using var plaintext = GrpcChannel.ForAddress(new Uri($"http://127.0.0.1:{Hub.Url.Port}"));

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await new FleetAdmin.FleetAdminClient(plaintext).ListTargetsAsync(new ListRequest(), cancellationToken: Cancel));

        // The TLS listener drops a connection that does not start with a TLS handshake. Depending on when the
        // client's HTTP/2 preface meets the close, the client reports the connection reset (Unavailable) or a
        // broken HTTP/2 exchange (Internal); either way no request was served.
        Assert.Contains(error.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
    }

    [Fact]
    public async Task Tls_WithAnUntrustedCa_IsRefused()
    {
        // The client trusts the machine's store only: the hub's private CA is not in it.
        using var channel = GrpcChannel.ForAddress(Hub.Url);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await new FleetAdmin.FleetAdminClient(channel).ListTargetsAsync(new ListRequest(), cancellationToken: Cancel));

        Assert.Contains(error.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
        Assert.Contains("SSL", error.Status.DebugException?.ToString() ?? error.Status.Detail);
    }

    [Fact]
    public async Task NoToken_IsUnauthenticated()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Hub.Admin(null).ListTargetsAsync(new ListRequest(), cancellationToken: Cancel));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("fleet_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task ForgedToken_IsUnauthenticated_AndNotEchoed(string forged)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Hub.Admin(forged).ListTargetsAsync(new ListRequest(), cancellationToken: Cancel));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.DoesNotContain(forged, error.Status.Detail);
    }

    [Fact]
    public async Task AdminTokenWithAForgedSecret_IsUnauthenticated()
    {
        var real = Hub.AdminToken;
        var forged = real[..^4] + (real.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Hub.Admin(forged).ListTargetsAsync(new ListRequest(), cancellationToken: Cancel));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task Viewer_CannotApplyOrCreateTokens_AndTheRefusedCallChangesNothing()
    {
        var viewer = await Hub.CreateTokenAsync("viewer");
        var before = (await Hub.Admin(viewer).ListCapabilitiesAsync(new ListRequest(), cancellationToken: Cancel)).Items.Count;
        var tokensBefore = (await Hub.Security(Hub.AdminToken).ListTokensAsync(new ListTokensRequest(), cancellationToken: Cancel)).Items.Count;

        var apply = await Assert.ThrowsAsync<RpcException>(async () => await Hub.Admin(viewer).ApplyAsync(
            new ApplyRequest { Source = "v.yaml", Yaml = Fleet.Hub.Tests.Integration.Capabilities.Greeter("1").Replace("name: greeter", "name: viewer-made"), FirstLine = 1 },
            cancellationToken: Cancel));
        var token = await Assert.ThrowsAsync<RpcException>(async () => await Hub.Security(viewer).CreateTokenAsync(
            new CreateTokenRequest { Role = "admin" }, cancellationToken: Cancel));

        Assert.Equal(StatusCode.PermissionDenied, apply.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, token.StatusCode);
        Assert.Equal(before, (await Hub.Admin(viewer).ListCapabilitiesAsync(new ListRequest(), cancellationToken: Cancel)).Items.Count);
        Assert.DoesNotContain(
            (await Hub.Admin(viewer).ListCapabilitiesAsync(new ListRequest(), cancellationToken: Cancel)).Items,
            c => c.Name == "viewer-made");
        Assert.Equal(tokensBefore, (await Hub.Security(Hub.AdminToken).ListTokensAsync(new ListTokensRequest(), cancellationToken: Cancel)).Items.Count);
    }

    [Fact]
    public async Task Operator_AppliesButCannotManageTokensOrTargets()
    {
        var operatorToken = await Hub.CreateTokenAsync("operator");

        var applied = await Hub.Admin(operatorToken).ApplyAsync(
            new ApplyRequest { Source = "o.yaml", Yaml = Fleet.Hub.Tests.Integration.Capabilities.Greeter("1").Replace("name: greeter", "name: operator-made"), FirstLine = 1 },
            cancellationToken: Cancel);
        var tokens = await Assert.ThrowsAsync<RpcException>(async () =>
            await Hub.Security(operatorToken).ListTokensAsync(new ListTokensRequest(), cancellationToken: Cancel));
        var revoke = await Assert.ThrowsAsync<RpcException>(async () =>
            await Hub.Security(operatorToken).RevokeTargetAsync(new RevokeTargetRequest { Name = "anything" }, cancellationToken: Cancel));

        Assert.Equal("created", applied.Outcome);
        Assert.Equal(StatusCode.PermissionDenied, tokens.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, revoke.StatusCode);
    }

    [Fact]
    public async Task AgentToken_IsNotAnOperatorToken()
    {
        var agentToken = await Hub.CreateTokenAsync("agent");

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Hub.Admin(agentToken).ListTargetsAsync(new ListRequest(), cancellationToken: Cancel));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task RevokedToken_IsRefused()
    {
        var viewer = await Hub.Security(Hub.AdminToken).CreateTokenAsync(new CreateTokenRequest { Role = "viewer" }, cancellationToken: Cancel);
        await Hub.Admin(viewer.Token).ListTargetsAsync(new ListRequest(), cancellationToken: Cancel);

        await Hub.Security(Hub.AdminToken).RevokeTokenAsync(new RevokeTokenRequest { Id = viewer.Id }, cancellationToken: Cancel);
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Hub.Admin(viewer.Token).ListTargetsAsync(new ListRequest(), cancellationToken: Cancel));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("revoked", error.Status.Detail);
    }

    [Fact]
    public async Task Agent_WithoutACertificate_IsRefused()
    {
        using var call = new AgentGateway.AgentGatewayClient(Hub.Channel()).Connect(cancellationToken: Cancel);

        try
        {
            await call.RequestStream.WriteAsync(new AgentMessage { Hello = new Hello { Name = "nocert", Driver = "files" } }, Cancel);
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException)
        {
            // The hub may refuse the call before it reads the hello; the refusal is in the response status.
        }

        var error = await Record.ExceptionAsync(async () => await call.ResponseStream.MoveNext(Cancel));

        Assert.Equal(StatusCode.Unauthenticated, Assert.IsType<RpcException>(error).StatusCode);
        Assert.False(await Hub.IsConnectedAsync("nocert"));
    }

    [Fact]
    public async Task AgentRuntime_WithoutTokenOrCertificate_StopsWithTheReason()
    {
        var options = Hub.AgentOptions("untokened", token: null);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => new Fleet.Agent.Runtime.AgentRuntime(options, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).RunAsync(Cancel));

        Assert.Contains("not enrolled", error.Message);
    }

    [Fact]
    public async Task AgentToken_WorksOnce()
    {
        var token = await Hub.CreateTokenAsync("agent");
        using var first = await TestCertificates.EnrollAsync(Hub.Channel(), token, "once-a");

        var second = await Assert.ThrowsAsync<RpcException>(() => TestCertificates.EnrollAsync(Hub.Channel(), token, "once-b"));

        Assert.Equal("once-a", first.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false));
        Assert.Equal(StatusCode.Unauthenticated, second.StatusCode);
        Assert.DoesNotContain(token, second.Status.Detail);
    }

    [Fact]
    public async Task Enroll_WithACsrForAnotherName_IsRefusedAndKeepsTheToken()
    {
        var token = await Hub.CreateTokenAsync("agent");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var enrollment = new AgentEnrollment.AgentEnrollmentClient(Hub.Channel());

        var error = await Assert.ThrowsAsync<RpcException>(async () => await enrollment.EnrollAsync(
            new EnrollRequest { Token = token, Name = "csr-a", CsrPem = TestCertificates.Csr(key, "csr-b") }, cancellationToken: Cancel));
        using var certificate = await TestCertificates.EnrollAsync(Hub.Channel(), token, "csr-a");

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.NotNull(certificate);
    }

    [Fact]
    public async Task Enroll_AnEnrolledTargetWithAnUnboundToken_IsRefused_ButATokenBoundToItMayReplaceIt()
    {
        using var original = await TestCertificates.EnrollAsync(Hub.Channel(), await Hub.CreateTokenAsync("agent"), "taken");

        var takeover = await Assert.ThrowsAsync<RpcException>(async () =>
            await TestCertificates.EnrollAsync(Hub.Channel(), await Hub.CreateTokenAsync("agent"), "taken"));
        var wrongBinding = await Assert.ThrowsAsync<RpcException>(async () =>
            await TestCertificates.EnrollAsync(Hub.Channel(), await Hub.CreateTokenAsync("agent", target: "other"), "taken"));
        using var replacement = await TestCertificates.EnrollAsync(Hub.Channel(), await Hub.CreateTokenAsync("agent", target: "taken"), "taken");

        Assert.Equal(StatusCode.FailedPrecondition, takeover.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, wrongBinding.StatusCode);
        Assert.NotEqual(original.SerialNumber, replacement.SerialNumber);
    }

    [Fact]
    public async Task AgentHoldingAnotherTargetsCertificate_CannotConnectUnderADifferentName()
    {
        using var certificate = await TestCertificates.EnrollAsync(Hub.Channel(), await Hub.CreateTokenAsync("agent"), "honest");
        using var call = new AgentGateway.AgentGatewayClient(Hub.Channel(clientCertificate: certificate)).Connect(cancellationToken: Cancel);

        var error = await Record.ExceptionAsync(async () =>
        {
            await call.RequestStream.WriteAsync(new AgentMessage { Hello = new Hello { Name = "impostor", Driver = "files" } }, Cancel);
            await call.ResponseStream.MoveNext(Cancel);
        });

        Assert.Equal(StatusCode.PermissionDenied, Assert.IsType<RpcException>(error).StatusCode);
        Assert.False(await Hub.IsConnectedAsync("impostor"));
        var targets = await Hub.Admin(Hub.AdminToken).ListTargetsAsync(new ListRequest(), cancellationToken: Cancel);
        Assert.DoesNotContain(targets.Items, t => t.Name == "impostor");
    }

    [Fact]
    public async Task AnAgentCertificate_IsNoOperatorCredential()
    {
        using var certificate = await TestCertificates.EnrollAsync(Hub.Channel(), await Hub.CreateTokenAsync("agent"), "no-operator");

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await new FleetAdmin.FleetAdminClient(Hub.Channel(clientCertificate: certificate)).ListTargetsAsync(new ListRequest(), cancellationToken: Cancel));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task Renew_NeedsTheAgentsCertificate_AndSignsOnlyItsOwnName()
    {
        using var certificate = await TestCertificates.EnrollAsync(Hub.Channel(), await Hub.CreateTokenAsync("agent"), "renewer");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var anonymous = new AgentEnrollment.AgentEnrollmentClient(Hub.Channel());
        var asAgent = new AgentEnrollment.AgentEnrollmentClient(Hub.Channel(clientCertificate: certificate));

        var withoutCertificate = await Assert.ThrowsAsync<RpcException>(async () =>
            await anonymous.RenewAsync(new RenewRequest { CsrPem = TestCertificates.Csr(key, "renewer") }, cancellationToken: Cancel));
        var otherName = await Assert.ThrowsAsync<RpcException>(async () =>
            await asAgent.RenewAsync(new RenewRequest { CsrPem = TestCertificates.Csr(key, "someone-else") }, cancellationToken: Cancel));
        var renewed = await asAgent.RenewAsync(new RenewRequest { CsrPem = TestCertificates.Csr(key, "renewer") }, cancellationToken: Cancel);

        Assert.Equal(StatusCode.Unauthenticated, withoutCertificate.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, otherName.StatusCode);
        using var issued = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(renewed.CertificatePem);
        Assert.Equal("renewer", issued.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false));
        Assert.NotEqual(certificate.SerialNumber, issued.SerialNumber);
    }

    [Fact]
    public async Task ApplyReachesAnEnrolledAgentOverMtls_TheAgentReconnectsWithItsCertificateAlone_AndTheAuditRecordsTheApply()
    {
        var operatorToken = await Hub.CreateTokenAsync("operator");
        var agent = Hub.StartAgent(Hub.AgentOptions("mtls-1", await Hub.CreateTokenAsync("agent"), "env=mtls", "region=eu"));
        await Hub.WaitForConnectedAsync("mtls-1");

        await Hub.Admin(operatorToken).ApplyAsync(
            new ApplyRequest { Source = "m.yaml", Yaml = Fleet.Hub.Tests.Integration.Capabilities.Greeter("1", "env: mtls").Replace("name: greeter", "name: mtls-greeter"), FirstLine = 1 },
            cancellationToken: Cancel);
        await Eventually.Holds(() => Hub.ReadTargetFile("mtls-1", "etc/greeter/hello.txt") == "hello mtls-1 in eu v1", "revision 1 on the enrolled agent");

        // Restarted without a token: the certificate in its state directory is all it needs.
        await agent.DisposeAsync();
        await Eventually.Holds(async () => !await Hub.IsConnectedAsync("mtls-1"), "mtls-1 disconnected");
        Hub.StartAgent(Hub.AgentOptions("mtls-1", token: null, "env=mtls", "region=eu"));
        await Hub.WaitForConnectedAsync("mtls-1");
        await Hub.Admin(operatorToken).ApplyAsync(
            new ApplyRequest { Source = "m.yaml", Yaml = Fleet.Hub.Tests.Integration.Capabilities.Greeter("2", "env: mtls").Replace("name: greeter", "name: mtls-greeter"), FirstLine = 1 },
            cancellationToken: Cancel);
        await Eventually.Holds(() => Hub.ReadTargetFile("mtls-1", "etc/greeter/hello.txt") == "hello mtls-1 in eu v2", "revision 2 after reconnecting with the certificate alone");

        var audit = await Hub.Security(Hub.AdminToken).ListAuditAsync(new ListAuditRequest(), cancellationToken: Cancel);
        var applies = audit.Items.Where(e => e.Method == "fleet.admin.v1.FleetAdmin/Apply" && e.Object == "capability/mtls-greeter").ToList();
        Assert.Equal(2, applies.Count);
        Assert.All(applies, e =>
        {
            Assert.Equal("operator", e.Role);
            Assert.StartsWith("token:", e.Who);
            Assert.StartsWith("ok", e.Outcome);
        });
        Assert.Contains(audit.Items, e => e.Method.EndsWith("/Enroll", StringComparison.Ordinal) && e.Object.StartsWith("target/mtls-1 ", StringComparison.Ordinal) && e.Outcome == "ok");
    }

    [Fact]
    public async Task Audit_RecordsRefusedAttemptsOfAuthenticatedCallers()
    {
        var viewer = await Hub.Security(Hub.AdminToken).CreateTokenAsync(new CreateTokenRequest { Role = "viewer", Description = "audited viewer" }, cancellationToken: Cancel);

        await Assert.ThrowsAsync<RpcException>(async () => await Hub.Admin(viewer.Token).DeleteAsync(
            new DeleteRequest { Kind = "capability", Name = "precious" }, cancellationToken: Cancel));

        var audit = await Hub.Security(Hub.AdminToken).ListAuditAsync(new ListAuditRequest(), cancellationToken: Cancel);
        var denied = Assert.Single(audit.Items, e => e.Object == "capability/precious");
        Assert.Equal("denied", denied.Outcome);
        Assert.Equal($"token:{viewer.Id} (audited viewer)", denied.Who);
        Assert.Equal("viewer", denied.Role);
    }

    [Fact]
    public async Task NoTokenOrKey_AppearsInLogsAuditOrErrors()
    {
        var admin = Hub.AdminToken;
        var agentToken = await Hub.CreateTokenAsync("agent");
        var viewer = await Hub.CreateTokenAsync("viewer");
        Hub.StartAgent(Hub.AgentOptions("quiet", agentToken, "env=quiet"));
        await Hub.WaitForConnectedAsync("quiet");
        await Assert.ThrowsAsync<RpcException>(async () => await Hub.Admin(viewer).ApplyAsync(new ApplyRequest { Yaml = "x" }, cancellationToken: Cancel));
        await Assert.ThrowsAsync<RpcException>(() => TestCertificates.EnrollAsync(Hub.Channel(), agentToken, "quiet-again"));

        var audit = await Hub.Security(admin).ListAuditAsync(new ListAuditRequest(), cancellationToken: Cancel);
        var auditText = string.Join('\n', audit.Items.Select(e => $"{e.Who} {e.Object} {e.Outcome} {e.Detail}"));
        var caKey = await File.ReadAllTextAsync(Path.Combine(Hub.DataDirectory, "ca.key"), Cancel);
        var keyBody = caKey.Split('\n')[1];
        foreach (var secret in new[] { admin, agentToken, viewer })
        {
            var secretPart = secret[^43..];
            Assert.DoesNotContain(secretPart, Hub.Logs.All);
            Assert.DoesNotContain(secretPart, auditText);
        }

        Assert.DoesNotContain(keyBody, Hub.Logs.All);
        Assert.NotEmpty(Hub.Logs.Lines);
    }
}
