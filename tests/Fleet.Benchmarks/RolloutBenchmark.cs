using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Fleet.Protocol.Admin.V1;
using Grpc.Core;

namespace Fleet.Benchmarks;

/// <summary>
/// SPEC §6: the real hub in its own process, N simulated agents on real streams in this one, and the
/// figures, in order: connect, a warm-up rollout, the measured one-wave rollout, RSS, the echo
/// baseline, single-target latency, and resync after SIGKILL. docs/benchmarks.md describes each.
/// </summary>
internal sealed class RolloutBenchmark(BenchmarkOptions options, Reporter progress)
{
    private const string Capability = "bench";
    private const string Probe = "bench-probe";
    private const string Fleet = "env=bench";
    private const int LatencyWarmUp = 5;

    private int N => options.Targets;

    // Generous bounds that scale with the fleet: a hung step fails with a message instead of hanging.
    private TimeSpan ConnectTimeout => TimeSpan.FromSeconds(60 + (0.1 * N));

    private TimeSpan RolloutTimeout => TimeSpan.FromSeconds(120 + (0.1 * N));

    private TimeSpan ResyncTimeout => TimeSpan.FromSeconds(120 + (0.1 * N));

    private static readonly TimeSpan HubStartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan SampleTimeout = TimeSpan.FromSeconds(30);

    public async Task<BenchmarkResult> RunAsync(HubNodes hub, CancellationToken cancellationToken)
    {
        // The operator's calls go to node 0 (and, for the cross-node latency, to node 1).
        var admins = hub.Nodes.Select(n => new HubAdmin(n.Address)).ToList();
        try
        {
            return await RunAsync(hub, admins, cancellationToken);
        }
        finally
        {
            foreach (var each in admins)
            {
                each.Dispose();
            }
        }
    }

    private async Task<BenchmarkResult> RunAsync(HubNodes hub, IReadOnlyList<HubAdmin> admins, CancellationToken cancellationToken)
    {
        var admin = admins[0];

        // The hub, idle.
        progress.Status($"starting fleet-hub ({hub.Nodes.Count} node(s), {hub.Storage})");
        hub.Start();
        for (var i = 0; i < hub.Nodes.Count; i++)
        {
            await WaitForHub(hub.Nodes[i], admins[i], cancellationToken);
        }

        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var idleRss = hub.RssBytes();
        Reporter.Done($"hub started ({hub.Nodes.Count} node(s), {hub.Storage}), idle RSS", Mib(idleRss));

        await using var fleet = new AgentFleet(hub.Nodes.Select(n => n.Address).ToList(), N, options.StreamsPerConnection);

        // Connect: all N agents at once, until `fleet get targets` shows every one connected.
        var loadBefore = HostMachine.LoadAverage();
        var storageIdle = hub.Stats();
        var hubIdle = hub.Counters();
        var connectStart = Stopwatch.GetTimestamp();
        fleet.Start();
        await progress.Until(() => fleet.Connected == N, () => $"{fleet.Connected}/{N} streams established{Failures(fleet)}", ConnectTimeout, "connecting agents", cancellationToken);
        var connectAgents = Stopwatch.GetElapsedTime(connectStart);
        var listed = 0;
        await progress.UntilAsync(
            async () => (listed = await admin.ConnectedTargets(Fleet, cancellationToken)) == N,
            () => $"{listed}/{N} connected in ListTargets",
            ConnectTimeout,
            TimeSpan.FromMilliseconds(100),
            "confirming connections",
            cancellationToken);
        var connect = Stopwatch.GetElapsedTime(connectStart);
        var hubConnected = hub.Counters();
        var connectWrites = hub.Stats().WritesSince(storageIdle);
        Reporter.Done($"{N} agents connected over {fleet.Connections} HTTP/2 connections", $"{connect.TotalSeconds:0.00} s");
        Reporter.Note($"hub CPU {(hubConnected.Cpu - hubIdle.Cpu).TotalSeconds:0.00} s; state writes: {Describe(connectWrites)}");

        // Warm-up: revision 1 to every target (JIT, grain activations, caches), not measured.
        var storageConnected = hub.Stats();
        var warmUp = await Rollout(admin, fleet, 1, cancellationToken);
        var hubWarm = hub.Counters();
        var warmUpWrites = hub.Stats().WritesSince(storageConnected);
        Reporter.Done("warm-up rollout (revision 1)", $"{warmUp.ToAgents.TotalSeconds:0.00} s");
        Reporter.Note($"hub CPU {(hubWarm.Cpu - hubConnected.Cpu).TotalSeconds:0.00} s; state writes: {Describe(warmUpWrites)}");

        // The measured rollout: revision 2, one wave, maxUnavailable 100%.
        var storageBefore = hub.Stats();
        var hubBefore = hub.Counters();
        var benchCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var measured = await Rollout(admin, fleet, 2, cancellationToken);
        var hubAfter = hub.Counters();
        var benchCpu = Process.GetCurrentProcess().TotalProcessorTime - benchCpuBefore;
        var storageAfter = hub.Stats();
        var writes = storageAfter.WritesSince(storageBefore);
        var rolloutSeconds = measured.ToAgents.TotalSeconds;
        Reporter.Done($"rollout of revision 2 to {N} targets (last Ready report sent)", $"{rolloutSeconds:0.000} s = {N / rolloutSeconds:0} targets/s");
        Reporter.Note($"rollout {measured.Id} Succeeded after {measured.ToSucceeded.TotalSeconds:0.000} s; hub CPU {(hubAfter.Cpu - hubBefore.Cpu).TotalSeconds:0.00} s, benchmark CPU {benchCpu.TotalSeconds:0.00} s");
        Reporter.Note($"state writes: {Describe(writes)}");

        // Memory with N connected, after the rollout.
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var rss = hub.RssBytes();
        var perTarget = (rss - idleRss) / N;
        var rssPerNode = hub.Nodes.Select(n => n.RssBytes()).ToList();
        Reporter.Done("hub RSS with all connected (all nodes)", $"{Mib(rss)} ({perTarget / 1024.0:0.0} KiB per target over idle)");
        var connections = await hub.PostgresConnectionsAsync();
        if (connections.Count > 0)
        {
            Reporter.Note($"PostgreSQL connections per node: {string.Join(", ", connections)}");
        }

        // The transport's ceiling: echo over the same connections, as many streams as agents.
        progress.Status($"echo: {N} streams for {options.EchoSeconds:0} s");
        var hubBeforeEcho = hub.CpuTime();
        var benchBeforeEcho = Process.GetCurrentProcess().TotalProcessorTime;
        var echo = await EchoLoad.RunAsync(fleet, N, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(options.EchoSeconds), cancellationToken);
        var hubEchoCpu = hub.CpuTime() - hubBeforeEcho;
        var benchEchoCpu = Process.GetCurrentProcess().TotalProcessorTime - benchBeforeEcho;
        Reporter.Done($"raw echo round trips ({N} streams, {fleet.Connections} connections)", $"{echo:0}/s");
        Reporter.Note($"hub CPU {hubEchoCpu.TotalSeconds:0.00} s, benchmark CPU {benchEchoCpu.TotalSeconds:0.00} s over the whole echo (warm-up included)");

        // Latency: one target, one desired-state change at a time, on an otherwise idle hub.
        // The probe's agent (bench-00001) lists node 0 first; Apply goes to node 0 too.
        var (fromReturn, fromCall) = await Latency(admin, fleet, 1, cancellationToken);
        Reporter.Done($"single-target latency, Apply sent → Ready report sent ({fromCall.Count} samples)", $"p50 {Percentiles.Of(fromCall, 50):0.0} ms, p99 {Percentiles.Of(fromCall, 99):0.0} ms");
        Reporter.Note($"after Apply returned: p50 {Percentiles.Of(fromReturn, 50):0.0} ms, p99 {Percentiles.Of(fromReturn, 99):0.0} ms, min {Percentiles.Of(fromReturn, 0):0.0} ms (the push races Apply's reply)");
        List<double>? crossNode = null;
        if (admins.Count > 1)
        {
            // The same change, the operator's call on node 1 while the agent's stream is on node 0.
            (_, crossNode) = await Latency(admins[1], fleet, LatencyWarmUp + options.LatencySamples + 1, cancellationToken);
            Reporter.Done($"cross-node latency, Apply on node 1, agent on node 0 ({crossNode.Count} samples)", $"p50 {Percentiles.Of(crossNode, 50):0.0} ms, p99 {Percentiles.Of(crossNode, 99):0.0} ms");
        }

        // Resync: one node, SIGKILL and restart on the same data and ports; several, SIGKILL of the last node
        // (not restarted) until its agents are in sync on the others and a new revision has rolled out.
        var resync = hub.Nodes.Count == 1
            ? await Resync(hub.Nodes[0], admin, fleet, cancellationToken)
            : await ResyncWithoutNode(hub, admin, fleet, cancellationToken);
        Reporter.Done(hub.Nodes.Count == 1 ? "resync after kill -9 and restart" : "resync after kill -9 of one node, new revision rolled out", $"{resync.Total.TotalSeconds:0.00} s");
        Reporter.Note($"hub {(hub.Nodes.Count == 1 ? "answering again" : "listing all connected")} after {resync.HubRestart.TotalSeconds:0.00} s; moved agents in sync after {resync.Agents.TotalSeconds:0.00} s; {resync.Different} desired sets differed"
            + (resync.Rollout is { } r ? $"; rollout of revision 3 took {r.TotalSeconds:0.00} s" : ""));

        var targetsPerSecond = N / rolloutSeconds;
        return new BenchmarkResult
        {
            Targets = N,
            ConnectSeconds = Round(connect.TotalSeconds),
            RolloutSeconds = Round(rolloutSeconds),
            RolloutTargetsPerSecond = Round(targetsPerSecond),
            RawRoundTripsPerSecond = Round(echo),
            Ratio = Math.Round(targetsPerSecond / echo, 5),
            LatencyMs = Figures(fromCall),
            HubRssBytes = rss,
            HubRssBytesPerTarget = perTarget,
            ResyncSeconds = Round(resync.Total.TotalSeconds),
            RolloutSucceededSeconds = Round(measured.ToSucceeded.TotalSeconds),
            WarmUpRolloutSeconds = Round(warmUp.ToAgents.TotalSeconds),
            ConnectAgentsSeconds = Round(connectAgents.TotalSeconds),
            LatencyAfterApplyReturnedMs = Figures(fromReturn),
            LatencySamples = fromReturn.Count,
            LatencySamplesMs = fromCall.Select(Round).ToList(),
            HubRssIdleBytes = idleRss,
            HubCpuSecondsDuringRollout = Round((hubAfter.Cpu - hubBefore.Cpu).TotalSeconds),
            BenchmarkCpuSecondsDuringRollout = Round(benchCpu.TotalSeconds),
            HubWrittenBytesDuringRollout = hubAfter.WrittenBytes - hubBefore.WrittenBytes,
            StateWritesDuringConnect = connectWrites,
            HubWrittenBytesDuringConnect = hubConnected.WrittenBytes - hubIdle.WrittenBytes,
            HubCpuSecondsDuringConnect = Round((hubConnected.Cpu - hubIdle.Cpu).TotalSeconds),
            StateWritesDuringWarmUp = warmUpWrites,
            HubWrittenBytesDuringWarmUp = hubWarm.WrittenBytes - hubConnected.WrittenBytes,
            HubCpuSecondsDuringWarmUp = Round((hubWarm.Cpu - hubConnected.Cpu).TotalSeconds),
            HubCpuSecondsDuringEcho = Round(hubEchoCpu.TotalSeconds),
            BenchmarkCpuSecondsDuringEcho = Round(benchEchoCpu.TotalSeconds),
            StateWritesDuringRollout = writes,
            RolloutStateBytes = storageAfter.Kinds.GetValueOrDefault("rollout")?.Bytes ?? 0,
            HubRestartSeconds = Round(resync.HubRestart.TotalSeconds),
            ResyncRolloutSeconds = resync.Rollout is { } rollout ? Round(rollout.TotalSeconds) : null,
            ResyncKilledNode = hub.Nodes.Count == 1 ? null : hub.Nodes.Count - 1,
            Nodes = hub.Nodes.Count,
            Storage = hub.Storage,
            LatencyCrossNodeMs = crossNode is null ? null : Figures(crossNode),
            HubRssBytesPerNode = rssPerNode,
            PostgresConnectionsPerNode = connections,
            ResyncAgentsSeconds = Round(resync.Agents.TotalSeconds),
            ResyncDifferentDesiredSets = resync.Different,
            Connections = fleet.Connections,
            StreamsPerConnection = options.StreamsPerConnection,
            EchoStreams = N,
            EchoSeconds = options.EchoSeconds,
            EchoPayloadBytes = EchoLoad.PayloadBytes,
            AgentSessionFailures = fleet.Failures,
            Machine = new BenchmarkResult.MachineInfo(Environment.ProcessorCount, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, loadBefore, HostMachine.LoadAverage()),
            MeasuredAt = DateTimeOffset.UtcNow,
        };
    }

    private sealed record RolloutTiming(string Id, TimeSpan ToAgents, TimeSpan ToSucceeded);

    /// <summary>
    /// Applies revision <paramref name="revision"/> of the fleet-wide capability and times, from just before
    /// the Apply call, (a) the moment the last agent sent its Ready report for it and (b) the first
    /// GetRollout that shows the rollout Succeeded (polled only after (a), so as not to load the rollout).
    /// </summary>
    private async Task<RolloutTiming> Rollout(HubAdmin admin, AgentFleet fleet, long revision, CancellationToken cancellationToken)
    {
        var watch = fleet.WatchReady(Capability, revision);
        var start = Stopwatch.GetTimestamp();
        var applied = await admin.Apply(FleetCapability(revision), cancellationToken);
        if (applied.Revision != revision || string.IsNullOrEmpty(applied.RolloutId))
        {
            throw new BenchmarkException($"apply made revision {applied.Revision} (rollout '{applied.RolloutId}'), expected revision {revision} with a rollout");
        }

        var last = await progress.Within(watch.Completion, () => $"{N - watch.Remaining}/{N} targets Ready at revision {revision}{Failures(fleet)}", RolloutTimeout, $"rollout {applied.RolloutId}", cancellationToken);
        var toAgents = Stopwatch.GetElapsedTime(start, last);
        var phase = RolloutPhase.Unspecified;
        await progress.UntilAsync(
            async () =>
            {
                var rollout = await admin.GetRollout(applied.RolloutId, cancellationToken);
                phase = rollout.Phase;
                return phase switch
                {
                    RolloutPhase.Succeeded => true,
                    RolloutPhase.Running or RolloutPhase.Pending => false,
                    _ => throw new BenchmarkException($"rollout {applied.RolloutId} ended {phase}: {rollout.Message}"),
                };
            },
            () => $"phase {phase}",
            RolloutTimeout,
            TimeSpan.FromMilliseconds(10),
            $"rollout {applied.RolloutId} to report Succeeded",
            cancellationToken);
        var toSucceeded = Stopwatch.GetElapsedTime(start);
        return new RolloutTiming(applied.RolloutId, toAgents, toSucceeded);
    }

    /// <summary>
    /// A second capability placed on bench-00001 only. Each sample applies a new revision of it and times
    /// until that agent has received the desired set and sent its Ready report: from just before the Apply
    /// call (the figure), and from the Apply returning (which the hub's push races: the rollout starts
    /// inside Apply, so the report can leave before the reply arrives). The next sample starts only once
    /// the rollout shows Succeeded, so every sample meets an idle hub.
    /// </summary>
    private async Task<(List<double> FromReturn, List<double> FromCall)> Latency(HubAdmin admin, AgentFleet fleet, int firstRevision, CancellationToken cancellationToken)
    {
        var fromReturn = new List<double>();
        var fromCall = new List<double>();
        var total = LatencyWarmUp + options.LatencySamples;
        for (var i = firstRevision; i < firstRevision + total; i++)
        {
            var watch = fleet.WatchReady(Probe, i, agent => agent == 0);
            var call = Stopwatch.GetTimestamp();
            var applied = await admin.Apply(ProbeCapability(i), cancellationToken);
            var returned = Stopwatch.GetTimestamp();
            if (applied.Revision != i || string.IsNullOrEmpty(applied.RolloutId))
            {
                throw new BenchmarkException($"apply of {Probe} made revision {applied.Revision} (rollout '{applied.RolloutId}'), expected revision {i} with a rollout");
            }

            var reported = await progress.Within(watch.Completion, () => $"sample {i - firstRevision + 1}/{total}", SampleTimeout, $"latency: {Probe} revision {i} on bench-00001", cancellationToken);
            if (i >= firstRevision + LatencyWarmUp)
            {
                fromReturn.Add(Stopwatch.GetElapsedTime(returned, reported).TotalMilliseconds);
                fromCall.Add(Stopwatch.GetElapsedTime(call, reported).TotalMilliseconds);
            }

            // Let the rollout finish so the next sample starts on an idle hub (and does not supersede it).
            var phase = RolloutPhase.Unspecified;
            await progress.UntilAsync(
                async () => (phase = (await admin.GetRollout(applied.RolloutId, cancellationToken)).Phase) == RolloutPhase.Succeeded,
                () => $"sample {i - firstRevision + 1}/{total}, phase {phase}",
                SampleTimeout,
                TimeSpan.FromMilliseconds(5),
                $"latency: rollout {applied.RolloutId}",
                cancellationToken);
        }

        return (fromReturn, fromCall);
    }

    private sealed record ResyncTiming(TimeSpan Total, TimeSpan HubRestart, TimeSpan Agents, int Different, TimeSpan? Rollout = null);

    /// <summary>
    /// SIGKILLs the last node (never node 0, which the operator's calls use) and times from the kill until (a)
    /// every agent that was on it has a new stream on another node whose first desired set equals the one it held,
    /// (b) ListTargets shows all N connected, and (c) a rollout of a new revision (3) to every target has
    /// Succeeded: the hub is whole again without the node.
    /// </summary>
    private async Task<ResyncTiming> ResyncWithoutNode(HubNodes hub, HubAdmin admin, AgentFleet fleet, CancellationToken cancellationToken)
    {
        var victim = hub.Nodes.Count - 1;
        var watch = fleet.WatchResync(i => fleet.CurrentNode(i) == victim);
        var moving = watch.Remaining;
        var killed = Stopwatch.GetTimestamp();
        hub.Nodes[victim].KillHard();
        var synced = await progress.Within(
            watch.Completion,
            () => $"{moving - watch.Remaining}/{moving} agents of node {victim} in sync elsewhere, {fleet.Connected} streams up",
            ResyncTimeout,
            $"agents of node {victim} to move after kill -9",
            cancellationToken);
        await AllConnectedInList(admin, cancellationToken);
        var allListed = Stopwatch.GetElapsedTime(killed);
        var rollout = await Rollout(admin, fleet, 3, cancellationToken);
        return new ResyncTiming(Stopwatch.GetElapsedTime(killed), allListed, Stopwatch.GetElapsedTime(killed, synced), watch.Different, rollout.ToSucceeded);
    }

    /// <summary>
    /// SIGKILLs the hub, starts it again on the same data directory and ports, and times from the kill until
    /// every agent has a new stream whose first desired set equals the one it held before (nothing to
    /// resend) and ListTargets shows all N connected.
    /// </summary>
    private async Task<ResyncTiming> Resync(HubProcess hub, HubAdmin admin, AgentFleet fleet, CancellationToken cancellationToken)
    {
        var watch = fleet.WatchResync();
        var killed = Stopwatch.GetTimestamp();
        hub.KillHard();
        hub.Start();
        var answering = Task.Run(async () =>
        {
            while (!await admin.Answers(cancellationToken))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }

            return Stopwatch.GetTimestamp();
        }, cancellationToken);
        var synced = await progress.Within(
            watch.Completion,
            () => $"{N - watch.Remaining}/{N} agents back in sync, {fleet.Connected} streams up{(hub.HasExited ? ", the hub exited: " + hub.LogTail(5) : "")}",
            ResyncTimeout,
            "resync after kill -9",
            cancellationToken);
        var hubAnswered = await progress.Within(answering, () => "hub answering", HubStartTimeout, "the restarted hub to answer", cancellationToken);
        await AllConnectedInList(admin, cancellationToken);
        return new ResyncTiming(Stopwatch.GetElapsedTime(killed), Stopwatch.GetElapsedTime(killed, hubAnswered), Stopwatch.GetElapsedTime(killed, synced), watch.Different);
    }

    /// <summary>Waits until ListTargets shows all N connected: what an operator sees, after the agents' own view.</summary>
    private async Task AllConnectedInList(HubAdmin admin, CancellationToken cancellationToken)
    {
        var listed = 0;
        await progress.UntilAsync(
            async () => (listed = await admin.ConnectedTargets(Fleet, cancellationToken)) == N,
            () => $"{listed}/{N} connected in ListTargets",
            ResyncTimeout,
            TimeSpan.FromMilliseconds(100),
            "confirming reconnections",
            cancellationToken);
    }

    private async Task WaitForHub(HubProcess hub, HubAdmin admin, CancellationToken cancellationToken) =>
        await progress.UntilAsync(
            async () => hub.HasExited
                ? throw new BenchmarkException("fleet-hub exited at start:\n" + hub.LogTail())
                : await admin.Answers(cancellationToken),
            () => "waiting for the admin API",
            HubStartTimeout,
            TimeSpan.FromMilliseconds(100),
            "fleet-hub to start",
            cancellationToken);

    /// <summary>The fleet-wide capability: every env=bench target, one file, all targets at once.</summary>
    private static string FleetCapability(long generation) => $$"""
        apiVersion: fleet/v1alpha1
        kind: Capability
        metadata:
          name: {{Capability}}
        spec:
          version: "1.0.{{generation}}"
          placement:
            selector:
              matchLabels: { env: bench }
          rollout: { maxUnavailable: 100% }
          resources:
            - id: config
              file:
                path: etc/bench.conf
                mode: "0644"
                content: |
                  bench on ${target.name}, generation {{generation}}
        """;

    /// <summary>The latency probe's capability: on the one target labelled bench-probe=true.</summary>
    private static string ProbeCapability(long generation) => $$"""
        apiVersion: fleet/v1alpha1
        kind: Capability
        metadata:
          name: {{Probe}}
        spec:
          version: "1.0.{{generation}}"
          placement:
            selector:
              matchLabels: { {{AgentFleet.ProbeLabel}}: "true" }
          rollout: { maxUnavailable: 100% }
          resources:
            - id: probe
              file:
                path: etc/bench-probe.conf
                content: |
                  probe on ${target.name}, sample {{generation}}
        """;

    private static BenchmarkResult.LatencyFigures Figures(List<double> samples) =>
        new(Round(Percentiles.Of(samples, 50)), Round(Percentiles.Of(samples, 99)), Round(Percentiles.Of(samples, 0)), Round(Percentiles.Of(samples, 100)));

    private static string Describe(IReadOnlyDictionary<string, long> writes) =>
        string.Join(", ", writes.Where(w => w.Value != 0).Select(w => $"{w.Key} {w.Value}"));

    private static double Round(double value) => Math.Round(value, 3);

    private static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:0.0} MiB");

    private static string Failures(AgentFleet fleet) =>
        fleet.Failures == 0 ? "" : $", {fleet.Failures} stream failures (last: {fleet.LastFailure})";
}
