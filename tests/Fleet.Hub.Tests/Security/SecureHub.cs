using System.Security.Cryptography.X509Certificates;
using Fleet.Agent.Enrollment;
using Fleet.Agent.Hosting;
using Fleet.Agent.Runtime;
using Fleet.Hub.Hosting;
using Fleet.Hub.Security;
using Fleet.Hub.Tests.Integration;
using Fleet.Hub.Tests.Storage;
using Fleet.Protocol.Admin.V1;
using Fleet.Protocol.Security.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fleet.Hub.Tests.Security;

/// <summary>
/// A hub started without --insecure, in the test process: TLS on a free loopback port with the CA and
/// admin token it generated in its data directory, every log line captured. Agents are real
/// <see cref="AgentRuntime"/>s that enroll over that TLS.
/// </summary>
internal sealed class SecureHub : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly List<AgentHandle> _agents = [];
    private readonly List<GrpcChannel> _channels = [];
    private readonly int _port;
    private readonly int _siloPort;
    private readonly int _gatewayPort;
    private readonly SecurityClock? _clock;
    private readonly SecurityLimits? _limits;
    private readonly Func<HubOptions, HubOptions>? _configureOptions;
    private WebApplication? _hub;

    private SecureHub(TimeProvider? clock, SecurityLimits? limits, Func<HubOptions, HubOptions>? configureOptions)
    {
        _configureOptions = configureOptions;
        var ports = FreePorts.Take(3);
        (_port, _siloPort, _gatewayPort) = (ports[0], ports[1], ports[2]);
        _clock = clock is null ? null : new SecurityClock(clock);
        _limits = limits;
        Url = new Uri($"https://127.0.0.1:{_port}");
    }

    public Uri Url { get; }

    public string Root => _directory.Path;

    public string DataDirectory => Path.Combine(Root, "hub");

    public string CaPath => Path.Combine(DataDirectory, "ca.crt");

    public string AdminToken => File.ReadAllText(Path.Combine(DataDirectory, "admin.token")).Trim();

    public LogCapture Logs { get; } = new();

    public IServiceProvider Services => _hub!.Services;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <param name="configureOptions">Changes the hub's options over the harness's own (e.g. PostgreSQL storage: <see cref="OnPostgres"/>).</param>
    public static async Task<SecureHub> StartAsync(TimeProvider? clock = null, SecurityLimits? limits = null, Func<HubOptions, HubOptions>? configureOptions = null)
    {
        var hub = new SecureHub(clock, limits, configureOptions);
        await hub.StartHubAsync();
        return hub;
    }

    /// <summary>Options for a hub whose state is in the PostgreSQL database <paramref name="connectionString"/>, in cluster <paramref name="clusterId"/>.</summary>
    public static Func<HubOptions, HubOptions> OnPostgres(string connectionString, string? clusterId = null) =>
        options => options with { Storage = HubOptions.PostgresStorage, PostgresConnectionString = connectionString, ClusterIdFlag = clusterId };

    public async Task StartHubAsync()
    {
        var options = new HubOptions
        {
            Urls = Url.ToString().TrimEnd('/'),
            DataDirectory = DataDirectory,
            SiloPort = _siloPort,
            GatewayPort = _gatewayPort,
            AgentCertificateLifetime = TimeSpan.FromHours(3),
        };
        _hub = HubHost.Build(
            _configureOptions?.Invoke(options) ?? options,
            logging =>
            {
                logging.ClearProviders();
                logging.SetMinimumLevel(LogLevel.Trace);
                logging.AddProvider(Logs);
            },
            services =>
            {
                if (_clock is not null)
                {
                    services.AddSingleton(_clock);
                }

                if (_limits is not null)
                {
                    services.AddSingleton(_limits);
                }
            });
        await _hub.StartAsync(Cancel);
    }

    public async Task StopHubAsync()
    {
        if (_hub is not null)
        {
            await _hub.StopAsync(CancellationToken.None);
            await _hub.DisposeAsync();
            _hub = null;
        }
    }

    /// <summary>A TLS channel trusting only the hub's CA, with a bearer token and/or a client certificate.</summary>
    public GrpcChannel Channel(string? token = null, X509Certificate2? clientCertificate = null)
    {
        var options = new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { SslOptions = HubTls.ClientOptions(HubTls.LoadTrust(CaPath), clientCertificate) },
            DisposeHttpClient = true,
            MaxSendMessageSize = null,
        };
        if (token is not null)
        {
            options.Credentials = ChannelCredentials.Create(ChannelCredentials.SecureSsl, CallCredentials.FromInterceptor((_, metadata) =>
            {
                metadata.Add("authorization", $"Bearer {token}");
                return Task.CompletedTask;
            }));
        }

        var channel = GrpcChannel.ForAddress(Url, options);
        _channels.Add(channel);
        return channel;
    }

    public FleetAdmin.FleetAdminClient Admin(string? token) => new(Channel(token));

    public FleetSecurity.FleetSecurityClient Security(string? token) => new(Channel(token));

    public async Task<string> CreateTokenAsync(string role, string target = "", long ttlSeconds = 0) =>
        (await Security(AdminToken).CreateTokenAsync(new CreateTokenRequest { Role = role, Target = target, TtlSeconds = ttlSeconds }, cancellationToken: Cancel)).Token;

    public AgentOptions AgentOptions(string name, string? token, params string[] labels) => new()
    {
        Hubs = [Url],
        Name = name,
        Labels = labels.Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]),
        Driver = "files",
        Root = TargetRoot(name),
        StateDirectory = StateDirectory(name),
        Token = token is null ? null : new EnrollmentToken(token),
        CaFile = CaPath,
    };

    public AgentHandle StartAgent(AgentOptions options, ILoggerFactory? loggers = null)
    {
        var handle = new AgentHandle(options, new AgentRuntime(options, loggers ?? NullLoggerFactory.Instance));
        _agents.Add(handle);
        return handle;
    }

    public string TargetRoot(string name) => Path.Combine(Root, "targets", name);

    public string StateDirectory(string name) => Path.Combine(Root, "agents", name);

    public string? ReadTargetFile(string target, string path)
    {
        var full = Path.Combine(TargetRoot(target), path);
        return File.Exists(full) ? File.ReadAllText(full) : null;
    }

    public async Task<bool> IsConnectedAsync(string name)
    {
        var targets = await Admin(AdminToken).ListTargetsAsync(new ListRequest(), cancellationToken: Cancel);
        return targets.Items.Any(t => t.Name == name && t.Connected);
    }

    public async Task WaitForConnectedAsync(string name) =>
        await Eventually.Holds(() => IsConnectedAsync(name), $"{name} connected");

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }

        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        await StopHubAsync();
        _directory.Dispose();
    }
}
