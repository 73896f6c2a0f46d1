using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fleet.Agent.Hosting;
using Fleet.Protocol.Security.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Fleet.Agent.Enrollment;

/// <summary>
/// The agent's identity towards a secure hub: it enrolls once with the token (its key is generated
/// here and never leaves the machine; only a CSR travels), then presents the issued client
/// certificate on every connection and renews it at two thirds of its lifetime, each time with a
/// fresh key.
/// </summary>
internal sealed partial class AgentCredentials
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RetryBase = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RetryCap = TimeSpan.FromMinutes(1);

    private readonly AgentOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AgentCredentials> _logger;
    private readonly AgentIdentityStore _store;
    private readonly X509Certificate2Collection? _trust;
    private volatile X509Certificate2? _certificate;

    public AgentCredentials(AgentOptions options, TimeProvider time, ILogger<AgentCredentials> logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _store = new AgentIdentityStore(options.StateDirectory);
        _trust = options.CaFile is null ? null : HubTls.LoadTrust(options.CaFile);
    }

    /// <summary>The certificate the next connection presents.</summary>
    public X509Certificate2? Certificate => _certificate;

    /// <summary>Makes a connection to the hub present the current certificate and trust only --ca (if given).</summary>
    public void Configure(SocketsHttpHandler handler) => handler.SslOptions = HubTls.ClientOptions(_trust, _certificate);

    /// <summary>
    /// Uses the certificate in the state directory if it is this target's and still valid; otherwise
    /// enrolls with --token. A refused token is final (<see cref="EnrollmentException"/>); an
    /// unreachable hub is retried with backoff.
    /// </summary>
    public async Task EnsureEnrolledAsync(CancellationToken cancellationToken)
    {
        var existing = _store.Load();
        var now = _time.GetUtcNow();
        if (existing is not null && Owner(existing) == _options.Name && existing.NotAfter.ToUniversalTime() > now.UtcDateTime)
        {
            _certificate = existing;
            if (_options.Token is not null)
            {
                LogTokenNotNeeded(_logger, _store.CertificatePath);
            }

            LogLoaded(_logger, _options.Name, existing.NotAfter.ToUniversalTime());
            return;
        }

        if (_options.Token is null)
        {
            throw new EnrollmentException(existing switch
            {
                null => $"this agent is not enrolled: pass --token with an agent token (fleet token create --role agent); it keeps its certificate in {_store.Directory}",
                _ when Owner(existing) != _options.Name => $"{_store.CertificatePath} belongs to target {Owner(existing)}, not {_options.Name}: use another --state-dir, or enroll again with --token",
                _ => $"the certificate in {_store.CertificatePath} expired at {existing.NotAfter.ToUniversalTime():u}: enroll again with a new --token",
            });
        }

        await WithRetries("enroll", hub => EnrollAt(hub, _options.Token.Value, cancellationToken), cancellationToken);
    }

    /// <summary>Renews the certificate at two thirds of its lifetime, for as long as the agent runs.</summary>
    public async Task RenewLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var certificate = _certificate ?? throw new InvalidOperationException("renewal needs an enrolled agent");
            var wait = RenewalDue(certificate) - _time.GetUtcNow();
            try
            {
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _time, cancellationToken);
                }

                await WithRetries("renew", hub => RenewAt(hub, cancellationToken), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (EnrollmentException e)
            {
                // Revoked or expired: the current certificate serves until the hub refuses it, and then
                // only an operator can help (a new token), so say so once and stop asking.
                LogRenewalRefused(_logger, e.Message);
                return;
            }
        }
    }

    /// <summary>Two thirds into the certificate's life: a third of it is left to retry in if the hub is away.</summary>
    public static DateTimeOffset RenewalDue(X509Certificate2 certificate)
    {
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        return notBefore + (notAfter - notBefore) * 2 / 3;
    }

    private async Task WithRetries(string what, Func<Uri, Task> attempt, CancellationToken cancellationToken)
    {
        var delay = RetryBase;
        for (var i = 0; ; i++)
        {
            var hub = _options.Hubs[i % _options.Hubs.Count];
            try
            {
                await attempt(hub);
                return;
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied or StatusCode.InvalidArgument or StatusCode.FailedPrecondition)
            {
                throw new EnrollmentException($"the hub refused to {what} this agent: {e.Status.Detail}");
            }
            catch (Exception e) when (e is RpcException or HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                var pause = delay * (0.5 + Random.Shared.NextDouble() / 2);
                LogRetry(_logger, what, hub.ToString(), pause.TotalSeconds, e is RpcException rpc ? rpc.Status.Detail : e.Message);
                await Task.Delay(pause, _time, cancellationToken);
                delay = delay * 2 > RetryCap ? RetryCap : delay * 2;
            }
        }
    }

    private async Task EnrollAt(Uri hub, string token, CancellationToken cancellationToken)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var channel = Channel(hub, clientCertificate: null);
        var response = await new AgentEnrollment.AgentEnrollmentClient(channel).EnrollAsync(
            new EnrollRequest { Token = token, Name = _options.Name, CsrPem = SigningRequest(key) },
            deadline: DateTime.UtcNow + CallTimeout,
            cancellationToken: cancellationToken);
        Keep(key, response.CertificatePem);
        LogEnrolled(_logger, _options.Name, _certificate!.NotAfter.ToUniversalTime());
    }

    private async Task RenewAt(Uri hub, CancellationToken cancellationToken)
    {
        if (_certificate!.NotAfter.ToUniversalTime() <= _time.GetUtcNow().UtcDateTime)
        {
            throw new EnrollmentException($"the certificate expired at {_certificate.NotAfter.ToUniversalTime():u} before it could be renewed: enroll again with a new --token");
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var channel = Channel(hub, _certificate);
        var response = await new AgentEnrollment.AgentEnrollmentClient(channel).RenewAsync(
            new RenewRequest { CsrPem = SigningRequest(key) },
            deadline: DateTime.UtcNow + CallTimeout,
            cancellationToken: cancellationToken);
        Keep(key, response.CertificatePem);
        LogRenewed(_logger, _options.Name, _certificate!.NotAfter.ToUniversalTime());
    }

    private string SigningRequest(ECDsa key)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(_options.Name);
        return new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
    }

    private void Keep(ECDsa key, string certificatePem)
    {
        using var issued = X509Certificate2.CreateFromPem(certificatePem);
        if (Owner(issued) != _options.Name)
        {
            throw new EnrollmentException($"the hub issued a certificate for {Owner(issued)}, not {_options.Name}");
        }

        // Fails if the hub signed some other key than ours.
        var withKey = issued.CopyWithPrivateKey(key);
        _store.Save(key.ExportPkcs8PrivateKeyPem(), certificatePem);
        _certificate = withKey;
    }

    private GrpcChannel Channel(Uri hub, X509Certificate2? clientCertificate) =>
        GrpcChannel.ForAddress(hub, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectTimeout = TimeSpan.FromSeconds(5),
                SslOptions = HubTls.ClientOptions(_trust, clientCertificate),
            },
            DisposeHttpClient = true,
        });

    private static string Owner(X509Certificate2 certificate) => certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);

    [LoggerMessage(Level = LogLevel.Information, Message = "Enrolled as target {Target}; certificate valid until {NotAfter:u}")]
    private static partial void LogEnrolled(ILogger logger, string target, DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Information, Message = "Renewed the certificate of target {Target}; valid until {NotAfter:u}")]
    private static partial void LogRenewed(ILogger logger, string target, DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Information, Message = "Using the certificate of target {Target}, valid until {NotAfter:u}")]
    private static partial void LogLoaded(ILogger logger, string target, DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Information, Message = "Already enrolled ({Path}): --token is not used")]
    private static partial void LogTokenNotNeeded(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Certificate renewal stopped: {Reason}")]
    private static partial void LogRenewalRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not {What} at {Hub}, retrying in {Seconds:0.0}s: {Reason}")]
    private static partial void LogRetry(ILogger logger, string what, string hub, double seconds, string reason);
}
