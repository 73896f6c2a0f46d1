using System.Globalization;

namespace Fleet.Benchmarks;

/// <summary>
/// The hub under test: one node on embedded SQLite, or N nodes of one Orleans cluster on a private PostgreSQL
/// (same database and cluster id, distinct loopback ports). Figures that belong to the hub (RSS, CPU, bytes
/// written) are summed over its nodes; the grain-state write counts come from whichever storage it uses.
/// </summary>
internal sealed class HubNodes : IAsyncDisposable
{
    private const string ClusterId = "bench";

    private readonly PrivatePostgres? _postgres;

    private HubNodes(IReadOnlyList<HubProcess> nodes, PrivatePostgres? postgres)
    {
        Nodes = nodes;
        _postgres = postgres;
    }

    public IReadOnlyList<HubProcess> Nodes { get; }

    public string Storage => _postgres is null ? "sqlite" : "postgres";

    public IEnumerable<HubProcess> Living => Nodes.Where(n => !n.HasExited);

    /// <summary>Prepares (does not start) the nodes under <paramref name="root"/>; with postgres, starts its server.</summary>
    public static async Task<HubNodes> CreateAsync(BenchmarkOptions options, string root)
    {
        if (!options.Postgres)
        {
            return new HubNodes([new HubProcess(Path.Combine(root, "data"), Path.Combine(root, "hub.log"), [])], null);
        }

        var postgres = await PrivatePostgres.StartAsync(root);
        var nodes = Enumerable.Range(0, options.Nodes).Select(i => new HubProcess(
            Path.Combine(root, $"node-{i}"),
            Path.Combine(root, $"node-{i}.log"),
            ["--storage", "postgres", "--postgres", postgres.ConnectionString(i), "--cluster-id", ClusterId])).ToList();
        return new HubNodes(nodes, postgres);
    }

    public void Start()
    {
        foreach (var node in Nodes)
        {
            node.Start();
        }
    }

    public long RssBytes() => Living.Sum(n => n.RssBytes());

    /// <summary>CPU and bytes written summed over the living nodes (a killed node's stop counting).</summary>
    public ProcessCounters Counters() =>
        Living.Select(n => ProcessCounters.Of(n.Pid, n.CpuTime()))
            .Aggregate(new ProcessCounters(TimeSpan.Zero, 0), (sum, c) => new ProcessCounters(sum.Cpu + c.Cpu, sum.WrittenBytes + c.WrittenBytes));

    public TimeSpan CpuTime() => Counters().Cpu;

    public StorageStats Stats() => _postgres?.Stats() ?? StorageStats.Read(Nodes[0].DataDirectory);

    /// <summary>Open PostgreSQL connections per node (empty on SQLite).</summary>
    public async Task<IReadOnlyList<int>> PostgresConnectionsAsync()
    {
        if (_postgres is null)
        {
            return [];
        }

        var counts = await _postgres.ConnectionsAsync();
        return Enumerable.Range(0, Nodes.Count).Select(i => counts.GetValueOrDefault($"fleet-node-{i}")).ToList();
    }

    public string LogTail(int lines = 30) =>
        string.Join("\n", Nodes.Select((n, i) => Nodes.Count == 1 ? n.LogTail(lines) : string.Create(CultureInfo.InvariantCulture, $"--- node {i}\n{n.LogTail(lines)}")));

    public void KillAll()
    {
        foreach (var node in Nodes)
        {
            node.KillHard();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            node.Dispose();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}
