using System.Security.Cryptography.X509Certificates;
using Fleet.Agent.Enrollment;
using Fleet.Hub.Security;
using Fleet.Hub.Tests.Integration;
using Fleet.Protocol.Admin.V1;
using Fleet.Protocol.Agent.V1;
using Fleet.Protocol.Security.V1;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Hub.Tests.Security;

/// <summary>
/// Time and revocation: tokens and certificates stop working when they expire (a fake clock moves the
/// hub's security decisions, not the silo's timers), agents renew before that, and a revoked target
/// is cut off at once.
/// </summary>
public sealed class RevocationAndExpiryTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RevokeTarget_EndsItsLiveStream_AndItsCertificateIsRefusedAfterwards()
    {
        await using var hub = await SecureHub.StartAsync();
        using var certificate = await TestCertificates.EnrollAsync(hub.Channel(), await hub.CreateTokenAsync("agent"), "doomed");
        using var call = new AgentGateway.AgentGatewayClient(hub.Channel(clientCertificate: certificate)).Connect(cancellationToken: Cancel);
        await call.RequestStream.WriteAsync(new AgentMessage { Hello = new Hello { Name = "doomed", Driver = "files" } }, Cancel);
        Assert.True(await call.ResponseStream.MoveNext(Cancel));
        Assert.True(await hub.IsConnectedAsync("doomed"));

        var revoked = await hub.Security(hub.AdminToken).RevokeTargetAsync(new RevokeTargetRequest { Name = "doomed" }, cancellationToken: Cancel);
        var ended = await Record.ExceptionAsync(async () => await call.ResponseStream.MoveNext(Cancel));
        using var again = new AgentGateway.AgentGatewayClient(hub.Channel(clientCertificate: certificate)).Connect(cancellationToken: Cancel);
        var refused = await Record.ExceptionAsync(async () =>
        {
            await again.RequestStream.WriteAsync(new AgentMessage { Hello = new Hello { Name = "doomed", Driver = "files" } }, Cancel);
            await again.ResponseStream.MoveNext(Cancel);
        });
        var renewal = await Record.ExceptionAsync(async () =>
        {
            using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
            await new AgentEnrollment.AgentEnrollmentClient(hub.Channel(clientCertificate: certificate))
                .RenewAsync(new RenewRequest { CsrPem = TestCertificates.Csr(key, "doomed") }, cancellationToken: Cancel);
        });

        Assert.Equal(1, revoked.Certificates);
        Assert.Equal(StatusCode.PermissionDenied, Assert.IsType<RpcException>(ended).StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, Assert.IsType<RpcException>(refused).StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, Assert.IsType<RpcException>(renewal).StatusCode);
        await Eventually.Holds(async () => !await hub.IsConnectedAsync("doomed"), "doomed disconnected");
    }

    [Fact]
    public async Task RevokedTarget_CanEnrollAgainOnlyWithANewToken()
    {
        await using var hub = await SecureHub.StartAsync();
        using var first = await TestCertificates.EnrollAsync(hub.Channel(), await hub.CreateTokenAsync("agent"), "phoenix");
        var bound = await hub.CreateTokenAsync("agent", target: "phoenix");

        var revoked = await hub.Security(hub.AdminToken).RevokeTargetAsync(new RevokeTargetRequest { Name = "phoenix" }, cancellationToken: Cancel);
        var boundRefused = await Assert.ThrowsAsync<RpcException>(() => TestCertificates.EnrollAsync(hub.Channel(), bound, "phoenix"));
        using var second = await TestCertificates.EnrollAsync(hub.Channel(), await hub.CreateTokenAsync("agent"), "phoenix");

        Assert.Equal(1, revoked.Tokens);
        Assert.Equal(StatusCode.Unauthenticated, boundRefused.StatusCode);
        Assert.NotEqual(first.SerialNumber, second.SerialNumber);
    }

    [Fact]
    public async Task AgentToken_PastItsTtl_IsRefused()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var hub = await SecureHub.StartAsync(clock);
        var token = await hub.CreateTokenAsync("agent", ttlSeconds: 600);

        clock.Advance(TimeSpan.FromMinutes(11));
        var error = await Assert.ThrowsAsync<RpcException>(() => TestCertificates.EnrollAsync(hub.Channel(), token, "late"));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task AgentToken_WithoutTtl_ExpiresAfterTheDefaultHour()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var hub = await SecureHub.StartAsync(clock);
        var early = await hub.CreateTokenAsync("agent");
        var late = await hub.CreateTokenAsync("agent");

        clock.Advance(TimeSpan.FromMinutes(59));
        using var inTime = await TestCertificates.EnrollAsync(hub.Channel(), early, "in-time");
        clock.Advance(TimeSpan.FromMinutes(2));
        var error = await Assert.ThrowsAsync<RpcException>(() => TestCertificates.EnrollAsync(hub.Channel(), late, "too-late"));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task ClientCertificate_PastItsExpiry_EndsTheStreamAndIsRefusedAtTheHandshake()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var hub = await SecureHub.StartAsync(clock);
        using var certificate = await TestCertificates.EnrollAsync(hub.Channel(), await hub.CreateTokenAsync("agent"), "mayfly");
        using var call = new AgentGateway.AgentGatewayClient(hub.Channel(clientCertificate: certificate)).Connect(cancellationToken: Cancel);
        await call.RequestStream.WriteAsync(new AgentMessage { Hello = new Hello { Name = "mayfly", Driver = "files" } }, Cancel);
        Assert.True(await call.ResponseStream.MoveNext(Cancel));

        // The hub issues for three hours in these tests.
        clock.Advance(TimeSpan.FromHours(3) + TimeSpan.FromMinutes(1));
        var ended = await Record.ExceptionAsync(async () => await call.ResponseStream.MoveNext(Cancel));
        var handshake = await Record.ExceptionAsync(async () =>
            await new FleetAdmin.FleetAdminClient(hub.Channel(token: hub.AdminToken, clientCertificate: certificate))
                .ListTargetsAsync(new ListRequest(), cancellationToken: Cancel));

        Assert.Equal(StatusCode.PermissionDenied, Assert.IsType<RpcException>(ended).StatusCode);
        Assert.Contains("expired", ((RpcException)ended!).Status.Detail);
        // TLS 1.3 finishes the client's side of the handshake before the hub checks the client certificate,
        // so the refusal arrives either while connecting (Unavailable) or as the first request fails (Internal).
        Assert.Contains(Assert.IsType<RpcException>(handshake).StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
    }

    [Fact]
    public async Task Agent_RenewsItsCertificateAtTwoThirdsOfItsLife_WithANewKey()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var hub = await SecureHub.StartAsync(clock);
        var options = hub.AgentOptions("renewing", await hub.CreateTokenAsync("agent"));
        var credentials = new AgentCredentials(options, clock, NullLogger<AgentCredentials>.Instance);
        await credentials.EnsureEnrolledAsync(Cancel);
        var first = credentials.Certificate!;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        var renewals = credentials.RenewLoopAsync(stop.Token);

        clock.Advance(TimeSpan.FromHours(1.5));
        await Task.Delay(200, Cancel);
        var beforeDue = credentials.Certificate;
        clock.Advance(TimeSpan.FromHours(0.6));
        await Eventually.Holds(() => credentials.Certificate != first, "the certificate was renewed");
        await stop.CancelAsync();
        await renewals;

        var renewed = credentials.Certificate!;
        Assert.Same(first, beforeDue);
        Assert.NotEqual(first.SerialNumber, renewed.SerialNumber);
        Assert.NotEqual(first.PublicKey.EncodedKeyValue.RawData, renewed.PublicKey.EncodedKeyValue.RawData);
        Assert.True(renewed.NotAfter > first.NotAfter);
        // Kept on disk: a restarted agent uses the renewed one.
        using var stored = X509Certificate2.CreateFromPemFile(
            Path.Combine(options.StateDirectory, "identity", "agent.crt"), Path.Combine(options.StateDirectory, "identity", "agent.key"));
        Assert.Equal(renewed.SerialNumber, stored.SerialNumber);
    }

    [Fact]
    public async Task AnonymousCallers_AreRateLimited_WithResourceExhausted()
    {
        await using var hub = await SecureHub.StartAsync(limits: new SecurityLimits { AnonymousCallBurst = 3, AnonymousCallsPerSecond = 1 });
        var admin = hub.Admin(null);
        var codes = new List<StatusCode>();

        // Until limited (bounded): on a loaded machine calls may be slow enough to be refilled for a while.
        for (var i = 0; i < 200 && !codes.Contains(StatusCode.ResourceExhausted); i++)
        {
            var error = await Assert.ThrowsAsync<RpcException>(async () => await admin.ListTargetsAsync(new ListRequest(), cancellationToken: Cancel));
            codes.Add(error.StatusCode);
        }

        Assert.Contains(StatusCode.Unauthenticated, codes);
        Assert.Contains(StatusCode.ResourceExhausted, codes);
        // An authenticated operator has a bucket of its own.
        await hub.Admin(hub.AdminToken).ListTargetsAsync(new ListRequest(), cancellationToken: Cancel);
    }

    [Fact]
    public async Task Operators_AreRateLimitedPerToken()
    {
        await using var hub = await SecureHub.StartAsync(limits: new SecurityLimits { OperatorCallBurst = 5, OperatorCallsPerSecond = 1 });
        var viewer = hub.Admin(await hub.CreateTokenAsync("viewer"));

        var errors = new List<StatusCode>();
        for (var i = 0; i < 200 && errors.Count == 0; i++)
        {
            try
            {
                await viewer.ListTargetsAsync(new ListRequest(), cancellationToken: Cancel);
            }
            catch (RpcException e)
            {
                errors.Add(e.StatusCode);
            }
        }

        Assert.NotEmpty(errors);
        Assert.All(errors, code => Assert.Equal(StatusCode.ResourceExhausted, code));
        await hub.Admin(hub.AdminToken).ListTargetsAsync(new ListRequest(), cancellationToken: Cancel);
    }
}
