using System.Diagnostics;
using Fleet.Hub.Tests.Hosting;
using Fleet.Protocol.Admin.V1;
using Grpc.Core;

namespace Fleet.Hub.Tests.Clustering;

/// <summary>
/// A hub of several nodes as real fleet-hub processes on one PostgreSQL database (plaintext, or secure with
/// the CA the nodes share through the database; loopback),
/// and agents as real fleet-agent processes that list every node. Everything lives under one temporary
/// directory: <c>node-N.log</c>, <c>agent-NAME.log</c>, agents' state and work directories. Disposing it
/// SIGKILLs every process it started and deletes the directory.
/// </summary>
internal sealed class HubCluster : IAsyncDisposable
{
    private readonly string _postgres;
    private readonly string _clusterId;
    private readonly List<ClusterNode> _nodes = [];
    private readonly List<Process> _agents = [];

    public HubCluster(string postgres, string clusterId = "fleet", bool secure = false)
    {
        _postgres = postgres;
        _clusterId = clusterId;
        Secure = secure;
        Dir = Directory.CreateTempSubdirectory("fleet-cluster-").FullName;
    }

    public string Dir { get; }

    public bool Secure { get; }

    /// <summary>A secure cluster's admin token: the one the first node wrote into its data directory.</summary>
    public string? AdminToken => Secure && _nodes.Count > 0 && File.Exists(Path.Combine(_nodes[0].DataDirectory, "admin.token"))
        ? File.ReadAllText(Path.Combine(_nodes[0].DataDirectory, "admin.token")).Trim()
        : null;

    private string Scheme => Secure ? "https" : "http";

    public IReadOnlyList<ClusterNode> Nodes => _nodes;

    public IEnumerable<ClusterNode> Living => _nodes.Where(n => n.Alive);

    /// <summary>The agents' --hub list: the first <paramref name="count"/> nodes' fixed addresses, known before they start.</summary>
    public IReadOnlyList<int> Ports { get; private set; } = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Reserves the addresses of <paramref name="count"/> nodes; restarts reuse them, as a Service address would stay.</summary>
    public HubCluster WithNodeAddresses(int count)
    {
        Ports = LoopbackPorts.Take(count);
        return this;
    }

    /// <summary>Starts the node with address index <paramref name="index"/> (fresh silo ports: a killed node's may linger).</summary>
    public ClusterNode StartNode(int index)
    {
        var ports = LoopbackPorts.Take(2);
        var log = Path.Combine(Dir, $"node-{index}-{_nodes.Count}.log");
        var url = $"{Scheme}://127.0.0.1:{Ports[index]}";
        var data = Path.Combine(Dir, $"node-{index}");
        List<string> args = Secure ? [] : ["--insecure"];
        args.AddRange(
        [
            "--urls", url, "--data-dir", data, "--storage", "postgres", "--postgres", _postgres, "--cluster-id", _clusterId,
            "--silo-port", ports[0].ToString(), "--gateway-port", ports[1].ToString(),
        ]);
        var process = LoggedProcess.Start(HubProcess.Dll, args, log);
        var node = new ClusterNode(index, process, url, data, log, () => AdminToken);
        _nodes.Add(node);
        return node;
    }

    /// <summary>Starts an exec-driver agent that lists every node, the one at <paramref name="first"/> first.</summary>
    /// <param name="trust">For a secure cluster: <c>--ca FILE</c> and <c>--token-file FILE</c>.</param>
    public void StartAgent(string name, int first, string[] labels, params string[] trust)
    {
        var hubs = Ports.Skip(first).Concat(Ports.Take(first)).Select(p => $"{Scheme}://127.0.0.1:{p}");
        var args = new List<string>
        {
            "--hub", string.Join(',', hubs), "--name", name, "--driver", "exec",
            "--state-dir", Path.Combine(Dir, "agents", name), "--resync", "5s",
        };
        args.AddRange(Secure ? trust : ["--insecure"]);
        foreach (var label in labels)
        {
            args.AddRange(["--label", label]);
        }

        _agents.Add(LoggedProcess.Start(Path.Combine(AppContext.BaseDirectory, "fleet-agent.dll"), args, Path.Combine(Dir, $"agent-{name}.log")));
    }

    /// <summary>Waits until <paramref name="node"/> answers and sees itself in a cluster of <paramref name="members"/> living nodes' targets.</summary>
    public async Task WaitServingAsync(ClusterNode node) =>
        await Eventually.Holds(
            async () =>
            {
                Assert.True(node.Alive, $"node {node.Index} exited: {Tail(node.Log)}");
                if (Secure && (!File.Exists(node.Ca) || AdminToken is null))
                {
                    return false;
                }

                await node.Admin.ListTargetsAsync(new ListRequest(), cancellationToken: Ct);
                return true;
            },
            $"node {node.Index} serving on {node.Url}",
            TimeSpan.FromSeconds(90),
            Logs);

    public async Task<IReadOnlyList<Target>> TargetsAsync(ClusterNode node) =>
        (await node.Admin.ListTargetsAsync(new ListRequest(), cancellationToken: Ct)).Items;

    /// <summary>Every process's log tail, for failure messages.</summary>
    public string Logs() =>
        string.Join("\n", Directory.EnumerateFiles(Dir, "*.log").Order().Select(f => $"--- {Path.GetFileName(f)}\n{Tail(f)}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            if (!agent.HasExited)
            {
                agent.Kill(entireProcessTree: true);
            }

            await agent.WaitForExitAsync();
            agent.Dispose();
        }

        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
            // A log still being flushed by a dying process; the temp directory is cleaned up later.
        }
    }

    private static string Tail(string file)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return string.Join('\n', reader.ReadToEnd().Split('\n').TakeLast(20));
        }
        catch (IOException e)
        {
            return $"({e.Message})";
        }
    }
}
