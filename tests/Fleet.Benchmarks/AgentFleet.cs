using System.Net.Http;
using Fleet.Protocol.Agent.V1;
using Grpc.Net.Client;

namespace Fleet.Benchmarks;

/// <summary>
/// N simulated agents in this process, their streams spread over several HTTP/2 connections (one
/// <see cref="GrpcChannel"/> each, <see cref="BenchmarkOptions.StreamsPerConnection"/> streams per
/// channel), and what the measurements watch: connections, desired sets and reports.
/// </summary>
internal sealed class AgentFleet : IAsyncDisposable
{
    public const string ProbeLabel = "bench-probe";

    private readonly List<GrpcChannel> _channels = [];
    private readonly List<SimulatedAgent> _agents = [];
    private readonly List<Task> _running = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly int _streamsPerConnection;
    private int _connected;
    private int _failures;
    private string? _lastFailure;
    private volatile ReadyWatch? _ready;
    private volatile ResyncWatch? _resync;

    public AgentFleet(Uri hub, int targets, int streamsPerConnection)
    {
        _streamsPerConnection = streamsPerConnection;
        var connections = (targets + streamsPerConnection - 1) / streamsPerConnection;
        for (var c = 0; c < connections; c++)
        {
            var handler = new SocketsHttpHandler
            {
                ConnectTimeout = TimeSpan.FromSeconds(5),
                KeepAlivePingDelay = TimeSpan.FromSeconds(20),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                // One connection per channel is the plan; should the hub ever lower its stream limit, open more rather than queue.
                EnableMultipleHttp2Connections = true,
            };
            _channels.Add(GrpcChannel.ForAddress(hub, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true }));
        }

        for (var i = 0; i < targets; i++)
        {
            var labels = new Dictionary<string, string>(StringComparer.Ordinal) { ["env"] = "bench" };
            if (i == 0)
            {
                // The latency probe's capability is placed on this one target only.
                labels[ProbeLabel] = "true";
            }

            _agents.Add(new SimulatedAgent(i, $"bench-{i + 1:D5}", labels, new AgentGateway.AgentGatewayClient(ChannelFor(i)), this));
        }
    }

    public IReadOnlyList<SimulatedAgent> Agents => _agents;

    public int Connections => _channels.Count;

    /// <summary>Agents whose current stream has received its first desired set.</summary>
    public int Connected => Volatile.Read(ref _connected);

    public int Failures => Volatile.Read(ref _failures);

    public string? LastFailure => Volatile.Read(ref _lastFailure);

    /// <summary>The channel (HTTP/2 connection) agent or echo stream <paramref name="index"/> uses.</summary>
    public GrpcChannel ChannelFor(int index) => _channels[index / _streamsPerConnection];

    public void Start()
    {
        foreach (var agent in _agents)
        {
            _running.Add(Task.Run(() => agent.RunAsync(_stop.Token)));
        }
    }

    public ReadyWatch WatchReady(string key, long revision, Func<int, bool>? covers = null)
    {
        var watch = new ReadyWatch(key, revision, _agents.Count, covers);
        _ready = watch;
        return watch;
    }

    public ResyncWatch WatchResync()
    {
        var watch = new ResyncWatch(_agents, _agents.Select(a => a.Sessions).ToList());
        _resync = watch;
        return watch;
    }

    public void OnConnected(SimulatedAgent agent) => Interlocked.Increment(ref _connected);

    public void OnDisconnected(SimulatedAgent agent) => Interlocked.Decrement(ref _connected);

    public void OnDesired(SimulatedAgent agent, DesiredSet desired, bool firstOnStream, int session, long timestamp)
    {
        if (firstOnStream)
        {
            _resync?.Observe(agent.Index, desired, session, timestamp);
        }
    }

    public void OnReportSent(SimulatedAgent agent, CapabilityReport report, long timestamp) =>
        _ready?.Observe(agent.Index, report, timestamp);

    public void OnSessionFailed(SimulatedAgent agent, Exception e)
    {
        Interlocked.Increment(ref _failures);
        Volatile.Write(ref _lastFailure, $"{agent.Name}: {e.GetType().Name}: {e.Message}");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        var all = Task.WhenAll(_running);
        await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(10)));
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        _stop.Dispose();
    }
}
