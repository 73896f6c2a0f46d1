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
    private readonly List<List<GrpcChannel>> _byNode = [];
    private readonly List<SimulatedAgent> _agents = [];
    private readonly List<Task> _running = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly int _streamsPerConnection;
    private int _connected;
    private int _failures;
    private string? _lastFailure;
    private volatile ReadyWatch? _ready;
    private volatile ResyncWatch? _resync;

    /// <summary>
    /// Agent i's first node is <c>i mod nodes</c> and its --hub list goes round from there, so the fleet is spread
    /// evenly and the agents of a lost node spread over the next one. Each node gets its own connections.
    /// </summary>
    public AgentFleet(IReadOnlyList<Uri> hubs, int targets, int streamsPerConnection)
    {
        _streamsPerConnection = streamsPerConnection;
        for (var node = 0; node < hubs.Count; node++)
        {
            var agentsOnNode = (targets - node + hubs.Count - 1) / hubs.Count;
            var connections = Math.Max(1, (agentsOnNode + streamsPerConnection - 1) / streamsPerConnection);
            var channels = new List<GrpcChannel>();
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
                channels.Add(GrpcChannel.ForAddress(hubs[node], new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true }));
            }

            _byNode.Add(channels);
            _channels.AddRange(channels);
        }

        for (var i = 0; i < targets; i++)
        {
            var labels = new Dictionary<string, string>(StringComparer.Ordinal) { ["env"] = "bench" };
            if (i == 0)
            {
                // The latency probe's capability is placed on this one target only.
                labels[ProbeLabel] = "true";
            }

            var first = FirstNode(i);
            var list = Enumerable.Range(0, hubs.Count).Select(k => new AgentGateway.AgentGatewayClient(ChannelOn((first + k) % hubs.Count, i))).ToList();
            _agents.Add(new SimulatedAgent(i, $"bench-{i + 1:D5}", labels, list, this));
        }
    }

    public IReadOnlyList<SimulatedAgent> Agents => _agents;

    public int Connections => _channels.Count;

    /// <summary>Agents whose current stream has received its first desired set.</summary>
    public int Connected => Volatile.Read(ref _connected);

    public int Failures => Volatile.Read(ref _failures);

    public string? LastFailure => Volatile.Read(ref _lastFailure);

    /// <summary>The channel (HTTP/2 connection) agent or echo stream <paramref name="index"/> uses on its first node.</summary>
    public GrpcChannel ChannelFor(int index) => ChannelOn(FirstNode(index), index);

    /// <summary>The node agent <paramref name="index"/> lists first.</summary>
    public int FirstNode(int index) => index % _byNode.Count;

    /// <summary>The node agent <paramref name="index"/> uses now: its first, or the one it moved on to.</summary>
    public int CurrentNode(int index) => (FirstNode(index) + _agents[index].Hub) % _byNode.Count;

    public ResyncWatch WatchResync(Func<int, bool> covers)
    {
        var watch = new ResyncWatch(_agents, _agents.Select(a => a.Sessions).ToList(), covers);
        _resync = watch;
        return watch;
    }

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

    public ResyncWatch WatchResync() => WatchResync(_ => true);

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

    private GrpcChannel ChannelOn(int node, int index)
    {
        // Agents are numbered round the nodes; the one at position index / nodes among a node's agents.
        var channels = _byNode[node];
        return channels[Math.Min(index / _byNode.Count / _streamsPerConnection, channels.Count - 1)];
    }
}
