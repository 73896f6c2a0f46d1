using System.Diagnostics;
using Fleet.Protocol.Agent.V1;
using Grpc.Core;

namespace Fleet.Benchmarks;

/// <summary>
/// One simulated agent: the stream the real agent holds (src/Fleet.Agent/Runtime/HubSession.cs) with the
/// driver replaced by memory. Hello with what it runs, a heartbeat every 10 s, and on every desired set
/// an instant "apply" and one Ready report per capability that changed (what the real reconciler sends),
/// plus a removal report for each capability no longer wanted. It reconnects like the real agent:
/// exponential backoff with full jitter, but capped at <see cref="BackoffCap"/> instead of 30 s. Given several hub
/// nodes (its --hub list, first one first), a failed stream moves it on to the next node of the list.
/// </summary>
internal sealed class SimulatedAgent(int index, string name, IReadOnlyDictionary<string, string> labels, IReadOnlyList<AgentGateway.AgentGatewayClient> hubs, AgentFleet fleet)
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan BackoffBase = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan BackoffCap = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, CapabilityReport> _current = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private int _sessions;
    private int _hub;

    public int Index => index;

    /// <summary>Streams opened so far; a desired set carries the number of the stream it came on.</summary>
    public int Sessions => Volatile.Read(ref _sessions);

    public string Name => name;

    /// <summary>The position in its hub list of the node it uses now (0: its first).</summary>
    public int Hub => Volatile.Read(ref _hub);

    /// <summary>Hash of the last desired set received (on any stream).</summary>
    public string LastDesiredHash { get; private set; } = "";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var attempt = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await SessionAsync(() => attempt = 0, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                fleet.OnSessionFailed(this, e);
                Volatile.Write(ref _hub, (_hub + 1) % hubs.Count);
            }

            // Full jitter over an exponentially growing window: a restarted hub is not met by every agent at once.
            var ceiling = Math.Min(BackoffCap.TotalMilliseconds, BackoffBase.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 20)));
            attempt++;
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(ceiling * Random.Shared.NextDouble()), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task SessionAsync(Action established, CancellationToken cancellationToken)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var call = hubs[Hub].Connect(cancellationToken: session.Token);
        var sessionNumber = Interlocked.Increment(ref _sessions);
        var connected = false;
        Task? heartbeats = null;
        try
        {
            await Write(call.RequestStream, new AgentMessage { Hello = Hello() }, session.Token);
            heartbeats = Heartbeats(call.RequestStream, session.Token);
            while (await call.ResponseStream.MoveNext(session.Token))
            {
                var message = call.ResponseStream.Current;
                switch (message.BodyCase)
                {
                    case HubMessage.BodyOneofCase.Desired:
                        var first = !connected;
                        if (first)
                        {
                            connected = true;
                            established();
                            fleet.OnConnected(this);
                        }

                        LastDesiredHash = message.Desired.Hash;
                        fleet.OnDesired(this, message.Desired, first, sessionNumber, Stopwatch.GetTimestamp());
                        await Apply(call.RequestStream, message.Desired, session.Token);
                        break;
                    case HubMessage.BodyOneofCase.Rejected:
                        throw new BenchmarkException($"{name} was rejected: {message.Rejected.Reason}");
                }
            }

            throw new RpcException(new Status(StatusCode.Unavailable, "the hub closed the stream"));
        }
        finally
        {
            if (connected)
            {
                fleet.OnDisconnected(this);
            }

            await session.CancelAsync();
            if (heartbeats is not null)
            {
                await heartbeats.ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>"Applies" in memory at once and reports each capability that changed, like the real reconciler.</summary>
    private async Task Apply(IClientStreamWriter<AgentMessage> stream, DesiredSet desired, CancellationToken cancellationToken)
    {
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var capability in desired.Capabilities)
        {
            wanted.Add(capability.Key);
            if (_current.TryGetValue(capability.Key, out var last) && last.Revision == capability.Revision
                && last.Hash == capability.Hash && last.State == ResourceState.Ready)
            {
                continue;
            }

            var report = new CapabilityReport
            {
                Key = capability.Key,
                Revision = capability.Revision,
                Hash = capability.Hash,
                State = string.IsNullOrEmpty(capability.Error) ? ResourceState.Ready : ResourceState.Failed,
                Message = capability.Error,
            };
            foreach (var resource in capability.Resources)
            {
                report.Resources.Add(new ResourceReport { Id = resource.Id, Hash = resource.Hash, State = report.State });
            }

            _current[capability.Key] = report;
            await Write(stream, new AgentMessage { Report = report }, cancellationToken);
            fleet.OnReportSent(this, report, Stopwatch.GetTimestamp());
        }

        foreach (var key in _current.Keys.Where(k => !wanted.Contains(k)).ToList())
        {
            var removed = _current[key];
            _current.Remove(key);
            await Write(stream, new AgentMessage { Report = new CapabilityReport { Key = key, Revision = removed.Revision, Hash = removed.Hash, Removed = true } }, cancellationToken);
        }
    }

    private async Task Heartbeats(IClientStreamWriter<AgentMessage> stream, CancellationToken cancellationToken)
    {
        // Agents started together should not beat together.
        await Task.Delay(TimeSpan.FromMilliseconds(HeartbeatInterval.TotalMilliseconds * Random.Shared.NextDouble()), cancellationToken);
        using var timer = new PeriodicTimer(HeartbeatInterval);
        var sequence = 0L;
        do
        {
            await Write(stream, new AgentMessage { Heartbeat = new Heartbeat { Sequence = ++sequence } }, cancellationToken);
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }

    private async Task Write(IClientStreamWriter<AgentMessage> stream, AgentMessage message, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await stream.WriteAsync(message, cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private Hello Hello()
    {
        var hello = new Hello { Name = name, Driver = "files", AgentVersion = "0.0.0-bench" };
        foreach (var (key, value) in labels)
        {
            hello.Labels[key] = value;
        }

        hello.Facts["os"] = "linux";
        hello.Facts["arch"] = "x64";
        hello.Facts["hostname"] = name;
        hello.Facts["agentVersion"] = "0.0.0-bench";
        // What runs here, so that a reconnect after a hub restart resends nothing that is already in place.
        hello.Current.Add(_current.Values.Select(r => r.Clone()));
        return hello;
    }
}
